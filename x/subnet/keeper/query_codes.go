package keeper

import (
	"google.golang.org/grpc/codes"

	"github.com/mindnet/mindnet/x/internal/querystatus"
	"github.com/mindnet/mindnet/x/subnet/types"
)

// QueryCodes are the gRPC codes x/subnet's queries answer with, by what the error means; the module
// registers its Query service through querystatus.Server with them. An error missing here answers
// Internal, so a new error that a query can return belongs in this list.
var QueryCodes = []querystatus.Rule{
	{Err: types.ErrUnknownSubnet, Code: codes.NotFound},
	{Err: types.ErrUnknownNeuron, Code: codes.NotFound},
	{Err: types.ErrHotkeyNotRegistered, Code: codes.NotFound},
	{Err: types.ErrUnknownHotkey, Code: codes.NotFound},
	{Err: types.ErrInvalidAddress, Code: codes.InvalidArgument},
	{Err: types.ErrInvalidAmount, Code: codes.InvalidArgument},
	{Err: types.ErrInvalidSwapSide, Code: codes.InvalidArgument},
	{Err: types.ErrSwapTooSmall, Code: codes.InvalidArgument},
	// Root holds plain umind stake and has no pool; an empty pool has nothing to quote against.
	{Err: types.ErrNoPool, Code: codes.FailedPrecondition},
	{Err: types.ErrPoolEmpty, Code: codes.FailedPrecondition},
	// No burn buys a seat on the root subnet, so it has no registration cost to ask for.
	{Err: types.ErrRootSubnet, Code: codes.FailedPrecondition},
}
