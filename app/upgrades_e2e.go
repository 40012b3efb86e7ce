//go:build upgrade_e2e

package app

// The upgrade end-to-end test (tests/e2e/upgrade_test.go) builds a second mindnetd with this tag: the
// "next release" that knows a handler for the upgrade the test schedules by governance. It changes no
// store and runs the modules' migrations, as most real upgrades do. A binary built without the tag
// halts at this upgrade, as an old binary halts at any upgrade it does not know.
func init() {
	Upgrades = append(Upgrades, Upgrade{Name: "e2e-noop", Handler: RunModuleMigrations})
}
