package store_test

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yingji/yingji/server/internal/pgtest"
	"github.com/yingji/yingji/server/internal/store"
	"github.com/yingji/yingji/server/internal/store/storetest"
)

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Opener {
		path := filepath.Join(t.TempDir(), "yingji.db")
		return func(t *testing.T) store.Store {
			s, err := store.OpenSQLite(context.Background(), path, store.Options{})
			require.NoError(t, err)
			return s
		}
	})
}

func TestSQLiteNoGroupCommit(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Opener {
		path := filepath.Join(t.TempDir(), "yingji.db")
		return func(t *testing.T) store.Store {
			s, err := store.OpenSQLite(context.Background(), path, store.Options{NoGroupCommit: true})
			require.NoError(t, err)
			return s
		}
	})
}

// TestSQLiteDecisionsToOS: the suite with decision records written to the
// OS and flushed by the flusher (DecisionsToOS).
func TestSQLiteDecisionsToOS(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Opener {
		path := filepath.Join(t.TempDir(), "yingji.db")
		return func(t *testing.T) store.Store {
			s, err := store.OpenSQLite(context.Background(), path, store.Options{DecisionsToOS: true})
			require.NoError(t, err)
			return s
		}
	})
}

func TestPostgresDecisionsToOS(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Opener {
		dsn := pgtest.DSN(t)
		return func(t *testing.T) store.Store {
			s, err := store.OpenPostgres(context.Background(), dsn, store.Options{DecisionsToOS: true})
			require.NoError(t, err)
			return s
		}
	})
}

func TestPostgres(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Opener {
		dsn := pgtest.DSN(t)
		return func(t *testing.T) store.Store {
			s, err := store.OpenPostgres(context.Background(), dsn, store.Options{})
			require.NoError(t, err)
			return s
		}
	})
}

// TestPostgresNotify: a publication on one connection reaches a listener on
// another (how a reload on one node reaches the others).
func TestPostgresNotify(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a, err := store.OpenPostgres(ctx, dsn, store.Options{})
	require.NoError(t, err)
	defer a.Close()
	b, err := store.OpenPostgres(ctx, dsn, store.Options{})
	require.NoError(t, err)
	defer b.Close()
	var got atomic.Int32
	heard := make(chan struct{}, 4)
	lctx, lcancel := context.WithCancel(ctx)
	defer lcancel()
	ready := make(chan struct{})
	go func() {
		close(ready)
		_ = b.(store.Notifier).Listen(lctx, func() { got.Add(1); heard <- struct{}{} })
	}()
	<-ready
	require.NoError(t, a.PutBundle(ctx, store.Bundle{Hash: "sha256:1", PlanID: "p", Files: map[string][]byte{"plan.yaml": []byte("x")}}))
	// The listener may not be listening yet: publish until it hears.
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for got.Load() == 0 {
		_, err := a.Publish(ctx, "sha256:1")
		require.NoError(t, err)
		select {
		case <-heard:
		case <-tick.C:
		case <-ctx.Done():
			t.Fatal("no notification within 30s")
		}
	}
	assert.Positive(t, got.Load())
}

// TestSQLiteExclusive: one process at a time writes a SQLite database; a
// second store on the same file is refused until the first is closed.
func TestSQLiteExclusive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "yingji.db")
	a, err := store.OpenSQLite(context.Background(), path, store.Options{})
	require.NoError(t, err)
	assert.True(t, a.Exclusive())
	_, err = store.OpenSQLite(context.Background(), path, store.Options{})
	assert.ErrorContains(t, err, "in use by another process")
	require.NoError(t, a.Close())
	b, err := store.OpenSQLite(context.Background(), path, store.Options{})
	require.NoError(t, err)
	require.NoError(t, b.Close())
}
