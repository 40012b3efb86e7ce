// Package axonclient calls miners' axons the way validators do: it signs every request with the
// caller's hotkey, sends it over gRPC, and checks that the answer carries a valid signature from the
// miner it was meant for, so that what a miner said can be proven later.
package axonclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"

	axonv1 "github.com/mindnet/mindnet/api/mindnet/axon/v1"
	"github.com/mindnet/mindnet/axonauth"
)

// ErrUnsignedResponse is returned when a miner's answer has no valid signature.
var ErrUnsignedResponse = errors.New("miner's response is not validly signed")

// Client signs requests as one hotkey for one subnet.
type Client struct {
	signer   *axonauth.Signer
	netuid   uint16
	now      func() time.Time
	verifier *axonauth.Verifier // remembers the miners' keys

	mu   sync.Mutex
	last uint64
}

// New returns a client that signs as signer on netuid; now is the clock (time.Now if nil).
func New(signer *axonauth.Signer, netuid uint16, now func() time.Time) *Client {
	if now == nil {
		now = time.Now
	}
	return &Client{signer: signer, netuid: netuid, now: now, verifier: axonauth.NewVerifier(0, 0)}
}

// Signed is a miner's answer with the proof that the miner gave it.
type Signed[T proto.Message] struct {
	Response T
	Request  axonauth.Envelope // the caller's signed request envelope
	Proof    axonauth.Envelope // the miner's signature over Response
}

// nonce is the clock in nanoseconds, forced strictly increasing so that two requests in the same
// nanosecond are not taken for a replay.
func (c *Client) nonce() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := uint64(c.now().UnixNano())
	if n <= c.last {
		n = c.last + 1
	}
	c.last = n
	return n
}

// Sign returns the outgoing context carrying a signed envelope for req, addressed to miner.
func (c *Client) Sign(ctx context.Context, req proto.Message, miner string) (context.Context, axonauth.Envelope, error) {
	body, err := proto.MarshalOptions{Deterministic: true}.Marshal(req)
	if err != nil {
		return nil, axonauth.Envelope{}, fmt.Errorf("encode request: %w", err)
	}
	env, err := c.signer.SignRequest(body, c.netuid, c.nonce(), miner)
	if err != nil {
		return nil, axonauth.Envelope{}, err
	}
	return metadata.NewOutgoingContext(ctx, axonauth.EnvelopeToMetadata(env)), env, nil
}

// Generate asks miner (reachable through conn) for a generation.
func (c *Client) Generate(ctx context.Context, conn grpc.ClientConnInterface, miner string, req *axonv1.GenerateRequest) (Signed[*axonv1.GenerateResponse], error) {
	ctx, env, err := c.Sign(ctx, req, miner)
	if err != nil {
		return Signed[*axonv1.GenerateResponse]{}, err
	}
	var header metadata.MD
	resp, err := axonv1.NewAxonClient(conn).Generate(ctx, req, grpc.Header(&header))
	if err != nil {
		return Signed[*axonv1.GenerateResponse]{}, err
	}
	proof, err := c.verifyResponse(resp, env, header, miner)
	return Signed[*axonv1.GenerateResponse]{Response: resp, Request: env, Proof: proof}, err
}

// Info asks miner for its description.
func (c *Client) Info(ctx context.Context, conn grpc.ClientConnInterface, miner string) (Signed[*axonv1.InfoResponse], error) {
	req := &axonv1.InfoRequest{}
	ctx, env, err := c.Sign(ctx, req, miner)
	if err != nil {
		return Signed[*axonv1.InfoResponse]{}, err
	}
	var header metadata.MD
	resp, err := axonv1.NewAxonClient(conn).Info(ctx, req, grpc.Header(&header))
	if err != nil {
		return Signed[*axonv1.InfoResponse]{}, err
	}
	proof, err := c.verifyResponse(resp, env, header, miner)
	return Signed[*axonv1.InfoResponse]{Response: resp, Request: env, Proof: proof}, err
}

// GenerateStream asks miner for a streamed generation, handing each token to onToken, and returns
// the final, signed result.
func (c *Client) GenerateStream(ctx context.Context, conn grpc.ClientConnInterface, miner string, req *axonv1.GenerateRequest, onToken func(*axonv1.Token) error) (Signed[*axonv1.GenerateStreamResponse], error) {
	ctx, env, err := c.Sign(ctx, req, miner)
	if err != nil {
		return Signed[*axonv1.GenerateStreamResponse]{}, err
	}
	stream, err := axonv1.NewAxonClient(conn).GenerateStream(ctx, req)
	if err != nil {
		return Signed[*axonv1.GenerateStreamResponse]{}, err
	}
	var final *axonv1.GenerateStreamResponse
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Signed[*axonv1.GenerateStreamResponse]{}, err
		}
		if msg.GetDone() {
			final = msg
			continue
		}
		if onToken != nil {
			if err := onToken(msg.GetToken()); err != nil {
				return Signed[*axonv1.GenerateStreamResponse]{}, err
			}
		}
	}
	if final == nil {
		return Signed[*axonv1.GenerateStreamResponse]{}, fmt.Errorf("stream from %s ended without a final result", miner)
	}
	proof, err := c.verifyResponse(final, env, stream.Trailer(), miner)
	return Signed[*axonv1.GenerateStreamResponse]{Response: final, Request: env, Proof: proof}, err
}

func (c *Client) verifyResponse(resp proto.Message, req axonauth.Envelope, md metadata.MD, miner string) (axonauth.Envelope, error) {
	proof, err := axonauth.EnvelopeFromMetadata(md)
	if err != nil {
		return axonauth.Envelope{}, fmt.Errorf("%w: %v", ErrUnsignedResponse, err)
	}
	if proof.Miner != miner || proof.Caller != req.Caller || proof.Nonce != req.Nonce || proof.Netuid != req.Netuid {
		return proof, fmt.Errorf("%w: signature is for miner %s, caller %s, nonce %d, netuid %d", ErrUnsignedResponse, proof.Miner, proof.Caller, proof.Nonce, proof.Netuid)
	}
	body, err := proto.MarshalOptions{Deterministic: true}.Marshal(resp)
	if err != nil {
		return proof, fmt.Errorf("encode response: %w", err)
	}
	if err := c.verifier.VerifyResponse(body, req.Signature, proof); err != nil {
		return proof, fmt.Errorf("%w: %v", ErrUnsignedResponse, err)
	}
	// The key signed for the miner this validator chose to ask: worth precomputing for.
	c.verifier.Prepare(proof.PubKey)
	return proof, nil
}
