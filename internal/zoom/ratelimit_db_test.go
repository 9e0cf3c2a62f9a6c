package zoom

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// slotLog records the slots a budget hands out.
type slotLog struct {
	Budget
	mu    sync.Mutex
	slots []time.Time
}

func (s *slotLog) ReserveRateSlot(ctx context.Context, bucket string, iv time.Duration, now, latest time.Time) (time.Time, bool, error) {
	slot, ok, err := s.Budget.ReserveRateSlot(ctx, bucket, iv, now, latest)
	if ok && err == nil {
		s.mu.Lock()
		s.slots = append(s.slots, slot)
		s.mu.Unlock()
	}
	return slot, ok, err
}

// Two replicas (two limiters, each with its own goroutines) on one database
// share one budget: together they never start calls closer than Zoom's rate
// allows, and a 429 one of them meets holds the other back too.
func TestReplicasShareTheBudgetInTheDatabase(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		st := testdb.Open(t, d)
		var _ Budget = st // *store.Store is the replicas' budget
		log := &slotLog{Budget: st}
		replicas := []*RateLimiter{NewRateLimiter(log, PlanBusiness), NewRateLimiter(log, PlanBusiness)}
		iv := RuleFor(PlanBusiness, Medium).Interval(replicas[0].Safety)
		var wg sync.WaitGroup
		for i, l := range replicas {
			for g := range 3 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					ctx := WithCaller(context.Background(), "connection:"+string(rune('a'+i*3+g)))
					for range 6 {
						if err := l.Wait(ctx, "acct", Medium); err != nil {
							t.Error(err)
							return
						}
					}
				}()
			}
		}
		wg.Wait()
		sort.Slice(log.slots, func(i, j int) bool { return log.slots[i].Before(log.slots[j]) })
		if len(log.slots) != 36 {
			t.Fatalf("%d slots, want 36", len(log.slots))
		}
		for i := 1; i < len(log.slots); i++ {
			if gap := log.slots[i].Sub(log.slots[i-1]); gap < iv-time.Microsecond {
				t.Fatalf("slots %d and %d are %v apart, closer than %v", i-1, i, gap, iv)
			}
		}
		// Zoom answers replica 0 with a 429 and Retry-After: replica 1 waits too.
		replicas[0].Observe("acct", Medium, 429, map[string][]string{"Retry-After": {"3"}})
		_, ok, err := st.ReserveRateSlot(context.Background(), bucketKey("acct", Medium), iv, time.Now(), time.Now().Add(time.Second))
		noErr(t, err)
		if ok {
			t.Fatal("a replica could call within a second of another replica's Retry-After: 3")
		}
	})
}
