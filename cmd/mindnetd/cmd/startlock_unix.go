//go:build unix

package cmd

import (
	"os"
	"syscall"
)

// tryLock takes a non-blocking exclusive flock; the kernel drops it when the process exits, so a
// crashed node never leaves a stale lock behind.
func tryLock(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}
