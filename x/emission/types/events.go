package types

// Event types and attribute keys that x/emission emits.
const (
	EventTypeMint         = "emission_mint"
	EventTypeEpoch        = "emission_epoch"
	EventTypeEpochFailed  = "emission_epoch_failed"
	EventTypeRootEpoch    = "emission_root_epoch"
	EventTypeRootRegister = "emission_root_register"
	EventTypeBurnPending  = "emission_burn_pending"
	EventTypeUpdateParams = "emission_update_params"
	EventTypeBondsCleared = "emission_bonds_cleared"

	AttributeKeyAmount       = "amount"
	AttributeKeyFeeCollector = "fee_collector"
	AttributeKeySubnets      = "subnets"
	AttributeKeyNetuid       = "netuid"
	AttributeKeyUID          = "uid"
	AttributeKeyHotkey       = "hotkey"
	AttributeKeyReplaced     = "replaced_hotkey"
	AttributeKeyOwnerCut     = "owner_cut"
	AttributeKeyPaid         = "paid"
	AttributeKeyCarried      = "carried"
	AttributeKeyAuthority    = "authority"
	AttributeKeyHeight       = "height"
	AttributeKeyError        = "error"
)
