// Package simulation plugs x/emission into the SDK's simulator: a randomised genesis (issuance, shares
// and a small root subnet, so that a short run mints, reaches the cap on some seeds, fills root and
// replaces its members) and message factories, in the SDK's simsx style, that read the state a message
// will meet and build only messages the chain must accept: root registrations of hotkeys that may take
// a seat, and governance's params updates. Any refusal the simulator sees is therefore a bug.
package simulation
