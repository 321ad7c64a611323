package api

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/yingji/yingji/server/internal/store"
)

// debounce is how long a folder must be quiet before it is reloaded: an
// editor's save is several events, a copied folder many.
const debounce = 250 * time.Millisecond

// Start runs the background work until Close: the plan folder watch
// (fsnotify), SIGHUP, and the adoption of plans other nodes publish
// (LISTEN/NOTIFY on PostgreSQL, and a poll as a fallback).
func (s *Server) Start(ctx context.Context, sighup bool) error {
	if !s.started.CompareAndSwap(false, true) {
		return errors.New("api: Start called twice")
	}
	ctx, s.stop = context.WithCancel(ctx)
	reload := make(chan string, 1)
	trigger := func(why string) {
		select {
		case reload <- why:
		default:
		}
	}
	if s.plans.IsDir() {
		w, err := fsnotify.NewWatcher()
		if err != nil {
			return err
		}
		if err := watchTree(w, s.plans.source); err != nil {
			w.Close()
			return err
		}
		s.bg.Go(func() {
			defer w.Close()
			var timer <-chan time.Time
			for {
				select {
				case <-ctx.Done():
					return
				case ev, ok := <-w.Events:
					if !ok {
						return
					}
					if ev.Op.Has(fsnotify.Create) {
						if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
							_ = watchTree(w, ev.Name)
						}
					}
					timer = time.After(debounce)
				case err, ok := <-w.Errors:
					if !ok {
						return
					}
					s.log.Error("watching the plan folder", "err", err)
				case <-timer:
					timer = nil
					trigger("watch")
				}
			}
		})
	}
	if sighup {
		hup := make(chan os.Signal, 1)
		signal.Notify(hup, syscall.SIGHUP)
		s.bg.Go(func() {
			defer signal.Stop(hup)
			for {
				select {
				case <-ctx.Done():
					return
				case <-hup:
					trigger("sighup")
				}
			}
		})
	}
	s.bg.Go(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case why := <-reload:
				_ = s.plans.Reload(ctx, why)
			}
		}
	})
	// Plans other nodes publish: at once through LISTEN/NOTIFY where the
	// store has it, and by polling in any case (a notification sent while
	// the connection was down is not repeated).
	adopt := func() {
		if err := s.plans.Adopt(ctx); err != nil && ctx.Err() == nil && !errors.Is(err, store.ErrNotFound) {
			s.log.Error("adopting the published plan", "err", err)
		}
	}
	if n, ok := s.st.(store.Notifier); ok {
		s.bg.Go(func() {
			for ctx.Err() == nil {
				err := n.Listen(ctx, adopt)
				if ctx.Err() != nil {
					return
				}
				s.log.Warn("LISTEN for plan publications stopped; retrying", "err", err)
				select {
				case <-ctx.Done():
				case <-time.After(time.Second):
				}
			}
		})
	}
	s.bg.Go(func() {
		t := time.NewTicker(s.cfg.PollInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				adopt()
			}
		}
	})
	return nil
}

// watchTree watches dir and the folders under it.
func watchTree(w *fsnotify.Watcher, dir string) error {
	return filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return w.Add(path)
		}
		return nil
	})
}
