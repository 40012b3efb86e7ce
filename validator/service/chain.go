package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cosmos/cosmos-sdk/client/grpc/cmtservice"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/mindnet/mindnet/chainclient"
	"github.com/mindnet/mindnet/validator/submit"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	weightstypes "github.com/mindnet/mindnet/x/weights/types"
)

// Chain is the validator's view of a node: submit.Chain over chainclient, signing as the hotkey.
type Chain struct {
	client    *chainclient.Client
	keyName   string
	hotkey    string
	txTimeout time.Duration
}

var _ submit.Chain = (*Chain)(nil)

// NewChain returns a Chain that sends as the keyring key keyName, whose address is hotkey.
func NewChain(client *chainclient.Client, keyName, hotkey string, txTimeout time.Duration) *Chain {
	return &Chain{client: client, keyName: keyName, hotkey: hotkey, txTimeout: txTimeout}
}

// Height implements submit.Chain.
func (c *Chain) Height(ctx context.Context) (int64, error) {
	return LatestHeight(ctx, c.client)
}

// LatestHeight is the node's latest block height.
func LatestHeight(ctx context.Context, client *chainclient.Client) (int64, error) {
	res, err := cmtservice.NewServiceClient(client.Conn).GetLatestBlock(ctx, &cmtservice.GetLatestBlockRequest{})
	if err != nil {
		return 0, fmt.Errorf("latest block: %w", err)
	}
	if b := res.GetSdkBlock(); b != nil {
		return b.Header.Height, nil
	}
	if b := res.GetBlock(); b != nil {
		return b.Header.Height, nil
	}
	return 0, errors.New("latest block: node returned no block")
}

// Hyperparameters implements submit.Chain.
func (c *Chain) Hyperparameters(ctx context.Context, netuid uint32) (submit.Hyperparameters, error) {
	return ReadHyperparameters(ctx, c.client, netuid)
}

// ReadHyperparameters reads the subnet settings that weight submission follows.
func ReadHyperparameters(ctx context.Context, client *chainclient.Client, netuid uint32) (submit.Hyperparameters, error) {
	res, err := subnettypes.NewQueryClient(client.Conn).Hyperparameters(ctx, &subnettypes.QueryHyperparametersRequest{Netuid: netuid})
	if err != nil {
		return submit.Hyperparameters{}, fmt.Errorf("hyperparameters of netuid %d: %w", netuid, err)
	}
	hp := res.Hyperparameters
	return submit.Hyperparameters{
		Tempo: hp.Tempo, WeightsRateLimit: hp.WeightsRateLimit, WeightsVersionKey: hp.WeightsVersionKey,
		CommitRevealEnabled: hp.CommitRevealEnabled, CommitRevealPeriod: hp.CommitRevealPeriod,
		MinAllowedWeights: hp.MinAllowedWeights, MaxWeightLimit: hp.MaxWeightLimit,
	}, nil
}

func (c *Chain) send(ctx context.Context, msg sdk.Msg) (submit.Receipt, error) {
	res, err := c.client.Send(ctx, c.keyName, c.txTimeout, msg)
	if errors.Is(err, chainclient.ErrTxFailed) {
		return submit.Receipt{}, fmt.Errorf("%w: %w", submit.ErrRefused, err)
	}
	if err != nil {
		return submit.Receipt{}, err
	}
	return submit.Receipt{Height: res.Height, TxHash: res.TxHash}, nil
}

// SetWeights implements submit.Chain.
func (c *Chain) SetWeights(ctx context.Context, netuid uint32, row submit.Row, versionKey uint64) (submit.Receipt, error) {
	return c.send(ctx, &weightstypes.MsgSetWeights{Hotkey: c.hotkey, Netuid: netuid, Uids: row.UIDs, Weights: row.Weights, VersionKey: versionKey})
}

// CommitWeights implements submit.Chain.
func (c *Chain) CommitWeights(ctx context.Context, netuid uint32, hash []byte) (submit.Receipt, error) {
	return c.send(ctx, &weightstypes.MsgCommitWeights{Hotkey: c.hotkey, Netuid: netuid, CommitHash: hash})
}

// RevealWeights implements submit.Chain.
func (c *Chain) RevealWeights(ctx context.Context, netuid uint32, row submit.Row, salt []byte, versionKey uint64) (submit.Receipt, error) {
	return c.send(ctx, &weightstypes.MsgRevealWeights{Hotkey: c.hotkey, Netuid: netuid, Uids: row.UIDs, Weights: row.Weights, Salt: salt, VersionKey: versionKey})
}

// CommitHash implements submit.Chain with x/weights' own hash.
func (c *Chain) CommitHash(hotkey string, netuid uint32, row submit.Row, salt []byte, versionKey uint64) ([]byte, error) {
	return weightstypes.CommitHash(hotkey, netuid, row.UIDs, row.Weights, salt, versionKey), nil
}

// NewEncoding is chainclient's encoding with x/weights' messages registered, which the validator sends.
func NewEncoding() (chainclient.Encoding, error) {
	enc, err := chainclient.NewEncoding()
	if err != nil {
		return enc, err
	}
	weightstypes.RegisterInterfaces(enc.Registry)
	return enc, nil
}
