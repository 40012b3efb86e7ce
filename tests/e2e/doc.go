// Package e2e drives real mindnetd, mindnet-miner and mindnet-validator processes the way an operator
// would. TestDevnetPaysHonestMinersMore (about 2 minutes) runs in `make test`: the demo's whole network
// must pay the honest miners more than the one serving another model. The longer runs (a 4-validator
// chain losing and regaining a validator, governance changing a parameter) are behind the e2e build tag:
// `make e2e` runs everything. They need the localnet ports (26656-26687, 1317-1320, 9090-9093) and the
// devnet's (18091-18098, 19102-19202) free on 127.0.0.1.
package e2e
