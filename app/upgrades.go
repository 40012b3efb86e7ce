package app

import (
	"context"
	"fmt"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	upgradetypes "github.com/cosmos/cosmos-sdk/x/upgrade/types"
)

// Upgrade describes one named software upgrade. A governance proposal (MsgSoftwareUpgrade) schedules it
// by name; at that height the old binary halts and this one (started by the operator or by cosmovisor)
// runs Handler once and applies StoreUpgrades.
type Upgrade struct {
	Name          string
	StoreUpgrades storetypes.StoreUpgrades
	Handler       func(app *MindnetApp) upgradetypes.UpgradeHandler
}

// Upgrades is every upgrade this binary can run, oldest first. Mindnet has shipped none yet; the next
// release appends an entry here, usually with RunModuleMigrations as its handler.
var Upgrades []Upgrade

// RunModuleMigrations is the handler most upgrades need: run each module's registered migrations from
// the versions stored on chain to the versions of this binary.
func RunModuleMigrations(app *MindnetApp) upgradetypes.UpgradeHandler {
	return func(ctx context.Context, _ upgradetypes.Plan, fromVM module.VersionMap) (module.VersionMap, error) {
		return app.ModuleManager.RunMigrations(ctx, app.configurator, fromVM)
	}
}

func (app *MindnetApp) setUpgradeHandlers() {
	for _, u := range Upgrades {
		app.UpgradeKeeper.SetUpgradeHandler(u.Name, u.Handler(app))
	}

	// When the node restarts after the halt, the upgrade plan is on disk; mount the store changes the
	// upgrade needs before the first block of the new binary runs.
	plan, err := app.UpgradeKeeper.ReadUpgradeInfoFromDisk()
	if err != nil {
		panic(fmt.Errorf("read upgrade info from disk: %w", err))
	}
	if app.UpgradeKeeper.IsSkipHeight(plan.Height) {
		return
	}
	for _, u := range Upgrades {
		if u.Name == plan.Name {
			app.SetStoreLoader(upgradetypes.UpgradeStoreLoader(plan.Height, &u.StoreUpgrades))
		}
	}
}
