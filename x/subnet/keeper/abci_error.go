package keeper

import "github.com/mindnet/mindnet/x/internal/abcierr"

// abciError makes a refusal reach clients as the registered error it wraps (see package abcierr).
var abciError = abcierr.Coded
