package types

import (
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// StakeCredit is stake that another module pays in behind a hotkey on a coldkey's behalf: x/emission
// pays epoch emission this way.
type StakeCredit struct {
	Hotkey  sdk.AccAddress
	Coldkey sdk.AccAddress
	Amount  math.Int
}
