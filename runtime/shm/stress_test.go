package shm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentSpill: goroutines put, get, borrow and free objects in a
// store that holds a quarter of them, so that spills and restores race with
// everything else. Every read must see the bytes that were put, and the
// accounting must come back to zero.
func TestConcurrentSpill(t *testing.T) {
	ctx := context.Background()
	const (
		workers = 4
		objects = 16
		size    = 16 << 10
	)
	s := newStore(t, Options{Capacity: objects * size / 4})
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := s.Client()
			defer c.Close()
			err := func() error {
				for i := range objects {
					id := testID(byte(w*objects + i + 1))
					if err := c.Put(ctx, id, pattern(size, byte(w+i))); err != nil {
						return err
					}
					// Read back this and an older object of ours; an older
					// one has likely been spilled by now.
					for _, j := range []int{i, i / 2} {
						b, release, err := c.Get(ctx, testID(byte(w*objects+j+1)))
						if err != nil {
							return err
						}
						if !bytes.Equal(b, pattern(size, byte(w+j))) {
							release()
							return fmt.Errorf("worker %d: object %d differs", w, j)
						}
						release()
					}
					if err := c.AddRef(ctx, id); err != nil {
						return err
					}
					if i%3 == 0 {
						if err := c.Release(ctx, id); err != nil {
							return err
						}
					}
				}
				for i := range objects {
					id := testID(byte(w*objects + i + 1))
					if err := c.Delete(ctx, id); err != nil {
						return err
					}
					if _, _, err := c.Get(ctx, id); !errors.Is(err, ErrNotFound) {
						return fmt.Errorf("get of deleted object %d: %v", i, err)
					}
				}
				return nil
			}()
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	st := s.Stats()
	if st.Objects != 0 || st.UsedBytes != 0 || st.Pins != 0 || st.SpilledObjects != 0 {
		t.Errorf("stats after everything was deleted: %+v", st)
	}
	if st.Spills == 0 || st.Restores == 0 {
		t.Errorf("the test did not spill and restore: %+v", st)
	}
}
