package keeper

import (
	"context"
	"strings"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/mindnet/mindnet/x/subnet/types"
)

// poolInfo is a pool as queries answer it, with prices as decimal strings.
func poolInfo(p types.Pool) types.PoolInfo {
	return types.PoolInfo{
		Netuid: p.Netuid, MindReserve: p.MindReserve, AlphaReserve: p.AlphaReserve, AlphaOutstanding: p.AlphaOutstanding,
		AlphaEmitted: p.AlphaEmitted, Price: p.Price().String(), PriceEma: p.PriceEma.String(),
	}
}

// Pool returns one subnet's pool with its price.
func (q queryServer) Pool(ctx context.Context, req *types.QueryPoolRequest) (*types.QueryPoolResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	p, err := q.k.GetPool(ctx, req.Netuid)
	if err != nil {
		return nil, err
	}
	return &types.QueryPoolResponse{Pool: poolInfo(p)}, nil
}

// Pools returns every pool by netuid.
func (q queryServer) Pools(ctx context.Context, req *types.QueryPoolsRequest) (*types.QueryPoolsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	out := &types.QueryPoolsResponse{}
	err := q.k.Pools.Walk(ctx, nil, func(_ uint32, p types.Pool) (bool, error) {
		out.Pools = append(out.Pools, poolInfo(p))
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Quote answers what a swap would give now. Amounts take "1000000" or "1000000umind" for a buy.
func (q queryServer) Quote(ctx context.Context, req *types.QueryQuoteRequest) (*types.QueryQuoteResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	// A buy spends umind ("1000000" or "1000000umind"); a sell spends alpha, a plain integer.
	denom := q.k.denom
	if !strings.EqualFold(req.Side, "buy") {
		denom = ""
	}
	amount, err := types.ParseAmount(req.Amount, denom)
	if err != nil {
		return nil, err
	}
	res, before, err := q.k.Quote(ctx, req.Netuid, strings.ToLower(req.Side), amount)
	if err != nil {
		return nil, err
	}
	after := res.Pool.Price()
	// The swap's own rate against the price before it: umind per alpha paid on a buy, got on a sell.
	slippage := math.LegacyZeroDec()
	if p := before.Price(); p.IsPositive() {
		var rate math.LegacyDec
		if strings.EqualFold(req.Side, "buy") {
			rate = math.LegacyNewDecFromInt(res.Out).Mul(p).QuoInt(amount) // alpha per umind × price
		} else {
			rate = math.LegacyNewDecFromInt(res.Out).QuoInt(amount).Quo(p)
		}
		if rate.LT(math.LegacyOneDec()) {
			slippage = math.LegacyOneDec().Sub(rate)
		}
	}
	return &types.QueryQuoteResponse{AmountOut: res.Out, Fee: res.Fee, PriceBefore: before.Price().String(), PriceAfter: after.String(), Slippage: slippage.String()}, nil
}

// Positions returns every stake position of a coldkey: root stake first, then alpha by netuid and
// hotkey, each with its umind value at the pool's spot price.
func (q queryServer) Positions(ctx context.Context, req *types.QueryPositionsRequest) (*types.QueryPositionsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	coldkey, err := q.k.addr("coldkey", req.Coldkey)
	if err != nil {
		return nil, err
	}
	out := &types.QueryPositionsResponse{TotalMindValue: math.ZeroInt()}
	err = q.k.StakesByColdkey.Walk(ctx, collections.NewPrefixedPairRange[sdk.AccAddress, sdk.AccAddress](coldkey),
		func(key collections.Pair[sdk.AccAddress, sdk.AccAddress]) (bool, error) {
			amount, err := q.k.StakeOf(ctx, key.K2(), coldkey)
			if err != nil {
				return true, err
			}
			out.Positions = append(out.Positions, types.Position{Netuid: types.RootNetuid, Hotkey: q.k.addrString(key.K2()), Amount: amount, MindValue: amount})
			return false, nil
		})
	if err != nil {
		return nil, err
	}
	pools := map[uint32]types.Pool{}
	rng := collections.NewPrefixedTripleRange[sdk.AccAddress, uint32, sdk.AccAddress](coldkey)
	err = q.k.AlphaByColdkey.Walk(ctx, rng, func(key collections.Triple[sdk.AccAddress, uint32, sdk.AccAddress]) (bool, error) {
		netuid, hotkey := key.K2(), key.K3()
		amount, err := q.k.AlphaStakeOf(ctx, netuid, hotkey, coldkey)
		if err != nil {
			return true, err
		}
		pool, ok := pools[netuid]
		if !ok {
			if pool, err = q.k.GetPool(ctx, netuid); err != nil {
				return true, err
			}
			pools[netuid] = pool
		}
		out.Positions = append(out.Positions, types.Position{Netuid: netuid, Hotkey: q.k.addrString(hotkey), Amount: amount, MindValue: pool.MindValue(amount)})
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	for _, p := range out.Positions {
		out.TotalMindValue = out.TotalMindValue.Add(p.MindValue)
	}
	return out, nil
}
