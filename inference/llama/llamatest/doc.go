// Package llamatest builds small randomly initialised Llama model folders in
// memory, for tests that need a real model of a given shape (a second,
// different model for the verifier, or edge-case configs for the loader)
// without shipping more weights.
package llamatest
