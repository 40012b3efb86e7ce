package axonauth

import (
	"encoding/base64"
	"fmt"
	"strconv"

	"google.golang.org/grpc/metadata"
)

// gRPC metadata keys that carry an Envelope (see proto/mindnet/axon/v1/axon.proto). Through the HTTP
// gateway they are request headers of the same names.
const (
	MDCaller    = "x-mindnet-caller"
	MDPubKey    = "x-mindnet-pubkey"
	MDNonce     = "x-mindnet-nonce"
	MDNetuid    = "x-mindnet-netuid"
	MDMiner     = "x-mindnet-miner"
	MDSignature = "x-mindnet-signature"
)

// EnvelopeToMetadata encodes a signed envelope as gRPC metadata pairs.
func EnvelopeToMetadata(env Envelope) metadata.MD {
	return metadata.Pairs(
		MDCaller, env.Caller,
		MDPubKey, base64.StdEncoding.EncodeToString(env.PubKey),
		MDNonce, strconv.FormatUint(env.Nonce, 10),
		MDNetuid, strconv.FormatUint(uint64(env.Netuid), 10),
		MDMiner, env.Miner,
		MDSignature, base64.StdEncoding.EncodeToString(env.Signature),
	)
}

// EnvelopeFromMetadata decodes a signed envelope; a missing signature gives ErrMissingSignature.
func EnvelopeFromMetadata(md metadata.MD) (Envelope, error) {
	get := func(key string) string {
		if v := md.Get(key); len(v) > 0 {
			return v[0]
		}
		return ""
	}
	if get(MDSignature) == "" || get(MDCaller) == "" || get(MDPubKey) == "" {
		return Envelope{}, ErrMissingSignature
	}
	var env Envelope
	var err error
	env.Caller, env.Miner = get(MDCaller), get(MDMiner)
	if env.PubKey, err = base64.StdEncoding.DecodeString(get(MDPubKey)); err != nil {
		return env, fmt.Errorf("%s is not base64: %w", MDPubKey, err)
	}
	if env.Signature, err = base64.StdEncoding.DecodeString(get(MDSignature)); err != nil {
		return env, fmt.Errorf("%s is not base64: %w", MDSignature, err)
	}
	if env.Nonce, err = strconv.ParseUint(get(MDNonce), 10, 64); err != nil {
		return env, fmt.Errorf("%s must be Unix nanoseconds: %w", MDNonce, err)
	}
	netuid, err := strconv.ParseUint(get(MDNetuid), 10, 16)
	if err != nil {
		return env, fmt.Errorf("%s must be a subnet id: %w", MDNetuid, err)
	}
	env.Netuid = uint16(netuid)
	return env, nil
}
