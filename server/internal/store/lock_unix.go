//go:build unix

package store

import (
	"fmt"
	"os"
	"syscall"
)

// lockDB takes an exclusive lock on path+".lock" for as long as the store
// is open, so that one process at a time writes a SQLite database: the
// server may then trust what it remembers of the incidents it wrote. The
// kernel releases the lock when the process ends, however it ends.
func lockDB(path string) (*os.File, bool, error) {
	f, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("store: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, false, fmt.Errorf("store: %s is in use by another process (a SQLite database serves one yingji-server; use PostgreSQL for several): %w", path, err)
	}
	return f, true, nil
}
