package types

import (
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// StakeCredit is alpha that another module pays in behind a hotkey on a coldkey's behalf, on one
// subnet: x/emission pays epoch emission this way (Keeper.CreditAlpha).
type StakeCredit struct {
	Hotkey  sdk.AccAddress
	Coldkey sdk.AccAddress
	Amount  math.Int
}
