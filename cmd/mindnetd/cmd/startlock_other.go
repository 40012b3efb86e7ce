//go:build !unix

package cmd

import "os"

// tryLock is a no-op where flock does not exist; the database's own lock still stops a second node.
func tryLock(*os.File) error { return nil }
