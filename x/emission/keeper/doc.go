// Package keeper holds x/emission's state and rules: minting every block's emission and splitting it
// between the fee collector and the subnets, the root subnet's seats and epoch (subnet shares), each
// subnet's Yuma epoch, and paying its results out as stake.
package keeper
