package zoomsim

import "time"

// refreshExpired is whether g's refresh token went unused past
// Options.RefreshIdle: Zoom answers it as it does a rotated one.
func (a *authState) refreshExpired(g *grant, now time.Time) bool {
	idle := a.opts.RefreshIdle
	return idle > 0 && now.Sub(g.refreshIssued) > idle
}
