package keeper

import (
	"google.golang.org/grpc/codes"

	"github.com/mindnet/mindnet/x/emission/types"
	"github.com/mindnet/mindnet/x/internal/querystatus"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// QueryCodes are the gRPC codes x/emission's queries answer with, by what the error means; the module
// registers its Query service through querystatus.Server with them. x/subnet's errors are listed too,
// because the keeper reads subnets through x/subnet. An error missing here answers Internal.
var QueryCodes = []querystatus.Rule{
	{Err: types.ErrUnknownSubnet, Code: codes.NotFound},
	{Err: types.ErrUnknownHotkey, Code: codes.NotFound},
	{Err: types.ErrInvalidAddress, Code: codes.InvalidArgument},
	{Err: subnettypes.ErrUnknownSubnet, Code: codes.NotFound},
	{Err: subnettypes.ErrUnknownNeuron, Code: codes.NotFound},
}
