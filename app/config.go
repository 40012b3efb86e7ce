package app

import (
	dbm "github.com/cosmos/cosmos-db"
	"os"
	"path/filepath"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

const (
	// AppName is the name baseapp reports and the default home folder is derived from.
	AppName = "mindnet"

	// Bech32Prefix is the human-readable part of every Mindnet account address (mind1…).
	Bech32Prefix = "mind"

	// BondDenom is the base denomination: 1 MIND = 10^6 umind.
	BondDenom = "umind"

	// DisplayDenom is the denomination people read.
	DisplayDenom = "MIND"

	// DenomExponent is the number of decimal places between DisplayDenom and BondDenom.
	DenomExponent = 6
)

// Bech32 prefixes for the other address kinds, built the way every Cosmos chain builds them so that
// wallets and explorers recognise them.
var (
	Bech32PrefixAccPub   = Bech32Prefix + sdk.PrefixPublic
	Bech32PrefixValAddr  = Bech32Prefix + sdk.PrefixValidator + sdk.PrefixOperator
	Bech32PrefixValPub   = Bech32Prefix + sdk.PrefixValidator + sdk.PrefixOperator + sdk.PrefixPublic
	Bech32PrefixConsAddr = Bech32Prefix + sdk.PrefixValidator + sdk.PrefixConsensus
	Bech32PrefixConsPub  = Bech32Prefix + sdk.PrefixValidator + sdk.PrefixConsensus + sdk.PrefixPublic
)

// SetSDKConfig points the SDK's global address configuration at Mindnet's prefixes and makes umind the
// default bond denom. The SDK keeps this in a process-wide singleton, so it must run before any address
// is parsed or printed; it is idempotent until the config is sealed.
func SetSDKConfig() {
	cfg := sdk.GetConfig()
	cfg.SetBech32PrefixForAccount(Bech32Prefix, Bech32PrefixAccPub)
	cfg.SetBech32PrefixForValidator(Bech32PrefixValAddr, Bech32PrefixValPub)
	cfg.SetBech32PrefixForConsensusNode(Bech32PrefixConsAddr, Bech32PrefixConsPub)
	sdk.DefaultBondDenom = BondDenom
}

func init() {
	SetSDKConfig()
}

// DefaultNodeHome is the node's home folder when neither --home nor MINDNETD_HOME is given: ~/.mindnet.
var DefaultNodeHome = defaultNodeHome()

func defaultNodeHome() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ".mindnet"
	}
	return filepath.Join(home, ".mindnet")
}

// DefaultDBBackend is the database mindnetd keeps application state in (app.toml app-db-backend).
// Not goleveldb, the SDK's fallback: goleveldb returns a stored empty value as missing, so the IAVL
// root of a module store that holds nothing (x/evidence until the first evidence) reads as "version
// does not exist" and every query at that height fails. Pebble keeps empty values apart from absent
// ones.
const DefaultDBBackend = dbm.PebbleDBBackend
