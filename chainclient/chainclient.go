// Package chainclient lets the off-chain binaries (miner, validator) talk to a Mindnet node over gRPC:
// read state, and sign and broadcast transactions with keys from a Cosmos keyring, waiting until they
// land in a block.
package chainclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cosmos/gogoproto/proto"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/client"
	clienttx "github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/address"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/crypto"
	cryptocodec "github.com/cosmos/cosmos-sdk/crypto/codec"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/cosmos/cosmos-sdk/std"
	sdk "github.com/cosmos/cosmos-sdk/types"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"
	signingtypes "github.com/cosmos/cosmos-sdk/types/tx/signing"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/tx/signing"

	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// Bech32 prefixes of Mindnet addresses.
const (
	AccountPrefix   = "mind"
	ValidatorPrefix = "mindvaloper"
	// Denom is the fee denom.
	Denom = "umind"
)

// Encoding is the codec set that Mindnet transactions need.
type Encoding struct {
	Registry codectypes.InterfaceRegistry
	Codec    codec.Codec
	TxConfig client.TxConfig
}

// NewEncoding registers the SDK's standard types and Mindnet's messages, and points the SDK's global
// address configuration at Mindnet's prefixes: parts of the SDK client (account lookups, printed
// addresses) read that global, and the off-chain binaries do not link the chain app that sets it.
func NewEncoding() (Encoding, error) {
	configureAddressPrefixes()
	registry, err := codectypes.NewInterfaceRegistryWithOptions(codectypes.InterfaceRegistryOptions{
		ProtoFiles: proto.HybridResolver,
		SigningOptions: signing.Options{
			AddressCodec:          address.Bech32Codec{Bech32Prefix: AccountPrefix},
			ValidatorAddressCodec: address.Bech32Codec{Bech32Prefix: ValidatorPrefix},
		},
	})
	if err != nil {
		return Encoding{}, fmt.Errorf("interface registry: %w", err)
	}
	std.RegisterInterfaces(registry)
	cryptocodec.RegisterInterfaces(registry)
	authtypes.RegisterInterfaces(registry)
	subnettypes.RegisterInterfaces(registry)
	cdc := codec.NewProtoCodec(registry)
	return Encoding{Registry: registry, Codec: cdc, TxConfig: authtx.NewTxConfig(cdc, authtx.DefaultSignModes)}, nil
}

// OpenKeyring opens the Cosmos keyring in dir with the given backend (os, file, test), the same one
// `mindnetd keys` uses with --keyring-backend and --home.
func OpenKeyring(enc Encoding, backend, dir string, in io.Reader) (keyring.Keyring, error) {
	kr, err := keyring.New(sdk.KeyringServiceName(), backend, dir, in, enc.Codec)
	if err != nil {
		return nil, fmt.Errorf("open %s keyring in %s: %w", backend, dir, err)
	}
	return kr, nil
}

// PrivateKey returns the raw secp256k1 private key and address of a key in the keyring.
func PrivateKey(kr keyring.Keyring, name string) ([]byte, string, error) {
	const pass = "mindnet-export" // only protects the in-memory armor between two calls
	armor, err := kr.ExportPrivKeyArmor(name, pass)
	if err != nil {
		return nil, "", fmt.Errorf("key %q: %w (list keys with `mindnetd keys list`)", name, err)
	}
	priv, _, err := crypto.UnarmorDecryptPrivKey(armor, pass)
	if err != nil {
		return nil, "", fmt.Errorf("key %q: %w", name, err)
	}
	sk, ok := priv.(*secp256k1.PrivKey)
	if !ok {
		return nil, "", fmt.Errorf("key %q is %s, not secp256k1", name, priv.Type())
	}
	addr, err := address.Bech32Codec{Bech32Prefix: AccountPrefix}.BytesToString(sk.PubKey().Address())
	if err != nil {
		return nil, "", err
	}
	return sk.Key, addr, nil
}

// Client talks to one node.
type Client struct {
	Conn     *grpc.ClientConn
	enc      Encoding
	kr       keyring.Keyring
	chainID  string
	gasPrice string
}

// Dial connects to a node's gRPC endpoint (plaintext, as nodes serve it on 9090).
func Dial(addr string, enc Encoding, kr keyring.Keyring, chainID string) (*Client, error) {
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(codec.NewProtoCodec(enc.Registry).GRPCCodec())))
	if err != nil {
		return nil, fmt.Errorf("dial node %s: %w", addr, err)
	}
	return &Client{Conn: conn, enc: enc, kr: kr, chainID: chainID, gasPrice: "0" + Denom}, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.Conn.Close() }

// ErrTxFailed is returned when a transaction is refused at check or fails in its block.
var ErrTxFailed = errors.New("transaction failed")

// Send signs msgs with the keyring key `from`, simulates them for gas, broadcasts, and waits (up to
// timeout) until the transaction is in a block.
func (c *Client) Send(ctx context.Context, from string, timeout time.Duration, msgs ...sdk.Msg) (*sdk.TxResponse, error) {
	rec, err := c.kr.Key(from)
	if err != nil {
		return nil, fmt.Errorf("key %q: %w", from, err)
	}
	addr, err := rec.GetAddress()
	if err != nil {
		return nil, err
	}
	clientCtx := client.Context{}.
		WithCodec(c.enc.Codec).WithInterfaceRegistry(c.enc.Registry).WithTxConfig(c.enc.TxConfig).
		WithKeyring(c.kr).WithChainID(c.chainID).WithGRPCClient(c.Conn).
		WithAccountRetriever(authtypes.AccountRetriever{}).WithFromName(from).WithFromAddress(addr).
		WithCmdContext(ctx)
	txf := clienttx.Factory{}.
		WithChainID(c.chainID).WithKeybase(c.kr).WithTxConfig(c.enc.TxConfig).
		WithAccountRetriever(authtypes.AccountRetriever{}).WithGasAdjustment(1.3).WithGasPrices(c.gasPrice).
		WithSignMode(signingtypes.SignMode_SIGN_MODE_DIRECT).WithFromName(from)
	if txf, err = txf.Prepare(clientCtx); err != nil {
		return nil, fmt.Errorf("look up account %s: %w (is it funded?)", addr, err)
	}
	gas, err := c.simulate(ctx, txf, msgs...)
	if err != nil {
		return nil, err
	}
	txf = txf.WithGas(gas)
	builder, err := txf.BuildUnsignedTx(msgs...)
	if err != nil {
		return nil, fmt.Errorf("build tx: %w", err)
	}
	if err := clienttx.Sign(ctx, txf, from, builder, true); err != nil {
		return nil, fmt.Errorf("sign tx: %w", err)
	}
	txBytes, err := c.enc.TxConfig.TxEncoder()(builder.GetTx())
	if err != nil {
		return nil, fmt.Errorf("encode tx: %w", err)
	}
	svc := txtypes.NewServiceClient(c.Conn)
	res, err := svc.BroadcastTx(ctx, &txtypes.BroadcastTxRequest{TxBytes: txBytes, Mode: txtypes.BroadcastMode_BROADCAST_MODE_SYNC})
	if err != nil {
		return nil, fmt.Errorf("broadcast: %w", err)
	}
	if res.TxResponse.Code != 0 {
		return res.TxResponse, fmt.Errorf("%w: %s", ErrTxFailed, res.TxResponse.RawLog)
	}
	return c.waitForTx(ctx, res.TxResponse.TxHash, timeout)
}

// simulate runs msgs through the node's simulation, under ctx, and returns the gas to ask for. A
// node that cannot be reached or does not answer in time is not the chain refusing the transaction:
// only the chain's own verdict is ErrTxFailed, so that a caller retries the rest.
func (c *Client) simulate(ctx context.Context, txf clienttx.Factory, msgs ...sdk.Msg) (uint64, error) {
	txBytes, err := txf.BuildSimTx(msgs...)
	if err != nil {
		return 0, fmt.Errorf("build simulation tx: %w", err)
	}
	res, err := txtypes.NewServiceClient(c.Conn).Simulate(ctx, &txtypes.SimulateRequest{TxBytes: txBytes})
	if err != nil {
		if unreachable(err) {
			return 0, fmt.Errorf("simulation: node did not answer: %w", err)
		}
		return 0, fmt.Errorf("%w: simulation: %v", ErrTxFailed, grpcMessage(err))
	}
	return uint64(txf.GasAdjustment() * float64(res.GasInfo.GetGasUsed())), nil
}

// unreachable reports whether a call failed for want of an answer (the node down, overloaded or too
// slow, or the caller giving up) rather than with one.
func unreachable(err error) bool {
	switch status.Code(err) {
	case codes.Unavailable, codes.DeadlineExceeded, codes.Canceled, codes.ResourceExhausted, codes.Aborted:
		return true
	}
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}

func (c *Client) waitForTx(ctx context.Context, hash string, timeout time.Duration) (*sdk.TxResponse, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	svc := txtypes.NewServiceClient(c.Conn)
	for {
		res, err := svc.GetTx(ctx, &txtypes.GetTxRequest{Hash: hash})
		if err == nil {
			if res.TxResponse.Code != 0 {
				return res.TxResponse, fmt.Errorf("%w in block %d: %s", ErrTxFailed, res.TxResponse.Height, res.TxResponse.RawLog)
			}
			return res.TxResponse, nil
		}
		if status.Code(err) != codes.NotFound && !strings.Contains(err.Error(), "not found") {
			return nil, fmt.Errorf("look up tx %s: %w", hash, err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("tx %s not in a block after %s: %w", hash, timeout, ctx.Err())
		case <-time.After(300 * time.Millisecond):
		}
	}
}

func grpcMessage(err error) string {
	if st, ok := status.FromError(err); ok {
		return st.Message()
	}
	return err.Error()
}

// configureAddressPrefixes sets the SDK's process-wide bech32 prefixes to Mindnet's, unless another
// part of the process (the chain app) has already set and sealed them.
func configureAddressPrefixes() {
	cfg := sdk.GetConfig()
	if cfg.GetBech32AccountAddrPrefix() == AccountPrefix {
		return
	}
	defer func() { _ = recover() }() // a sealed config with other prefixes is the caller's choice
	cfg.SetBech32PrefixForAccount(AccountPrefix, AccountPrefix+sdk.PrefixPublic)
	cfg.SetBech32PrefixForValidator(ValidatorPrefix, ValidatorPrefix+sdk.PrefixPublic)
	cfg.SetBech32PrefixForConsensusNode(AccountPrefix+sdk.PrefixValidator+sdk.PrefixConsensus,
		AccountPrefix+sdk.PrefixValidator+sdk.PrefixConsensus+sdk.PrefixPublic)
}
