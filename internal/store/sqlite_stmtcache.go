package store

import (
	"container/list"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"reflect"
)

// The pure-Go SQLite driver prepares (parses and plans) every statement
// afresh on every call and throws it away after: for the short statements of
// the webhook inbox and River's job queue, parsing costs more than running.
// sqliteConnector keeps, per connection, the statements it has prepared
// (least recently used first out) and runs each call through its cached
// statement. A statement still read by open rows is never handed out twice:
// a second, uncached one is prepared for the overlapping call.

// stmtCacheSize bounds the statements kept per connection; the hot set
// (inbox, activities, River's fetch/insert/complete) is a few dozen.
const stmtCacheSize = 256

// stmtCacheMaxQuery keeps long generated statements (IN lists of hundreds of
// ids) out of the cache, where each length would be its own entry.
const stmtCacheMaxQuery = 4096

type sqliteConnector struct {
	dsn  string
	base driver.Driver
}

// openSQLiteDB opens the SQLite database at dsn through the statement cache.
func openSQLiteDB(dsn string) (*sql.DB, error) {
	probe, err := sql.Open("sqlite", "")
	if err != nil {
		return nil, err
	}
	base := probe.Driver() // the registered driver; Open(dsn) applies the DSN's pragmas
	probe.Close()
	return sql.OpenDB(&sqliteConnector{dsn: dsn, base: base}), nil
}

func (c *sqliteConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.base.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return newCachingConn(conn)
}

func (c *sqliteConnector) Driver() driver.Driver { return c.base }

// sqliteConn is what the SQLite driver's connections implement.
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

type cachingConn struct {
	sqliteConn
	lru   *list.List // of *cachedStmt, most recently used first
	stmts map[string]*list.Element
}

type cachedStmt struct {
	query   string
	stmt    driver.Stmt
	busy    bool // open rows read from it
	evicted bool // dropped from the cache while busy: close when the rows close
}

func newCachingConn(c driver.Conn) (driver.Conn, error) {
	sc, ok := c.(sqliteConn)
	if !ok {
		c.Close()
		return nil, errors.New("sqlite driver connection lacks context methods")
	}
	return &cachingConn{sqliteConn: sc, lru: list.New(), stmts: map[string]*list.Element{}}, nil
}

// get returns a cached statement for query that no open rows use, preparing
// and caching it if needed; nil when the query is not cached (too long, or
// its statement is busy: the caller then uses the driver's own path).
func (c *cachingConn) get(ctx context.Context, query string) (*cachedStmt, error) {
	if len(query) > stmtCacheMaxQuery {
		return nil, nil
	}
	if e, ok := c.stmts[query]; ok {
		cs := e.Value.(*cachedStmt)
		if cs.busy {
			return nil, nil
		}
		c.lru.MoveToFront(e)
		return cs, nil
	}
	st, err := c.sqliteConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	cs := &cachedStmt{query: query, stmt: st}
	c.stmts[query] = c.lru.PushFront(cs)
	for c.lru.Len() > stmtCacheSize {
		c.evict(c.lru.Back())
	}
	return cs, nil
}

func (c *cachingConn) evict(e *list.Element) {
	cs := e.Value.(*cachedStmt)
	c.lru.Remove(e)
	delete(c.stmts, cs.query)
	if cs.busy {
		cs.evicted = true
		return
	}
	cs.stmt.Close()
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	cs, err := c.get(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.sqliteConn.ExecContext(ctx, query, args)
	}
	return cs.stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	cs, err := c.get(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.sqliteConn.QueryContext(ctx, query, args)
	}
	rows, err := cs.stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	cs.busy = true
	return &cachedRows{Rows: rows, cs: cs}, nil
}

// PrepareContext lends the cached statement to a caller that prepares it
// itself (a batch running one statement many times): closing it gives it
// back to the cache instead of finalizing it.
func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	cs, err := c.get(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.sqliteConn.PrepareContext(ctx, query)
	}
	cs.busy = true
	return &lentStmt{cs: cs}, nil
}

// Prepare is PrepareContext for callers without a context.
func (c *cachingConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// lentStmt is a cached statement lent out by PrepareContext.
type lentStmt struct {
	cs     *cachedStmt
	closed bool
}

func (s *lentStmt) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	return s.cs.release()
}

func (s *lentStmt) NumInput() int { return s.cs.stmt.NumInput() }

func (s *lentStmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.cs.stmt.Exec(args) //nolint:staticcheck // database/sql calls ExecContext; this completes driver.Stmt
}

func (s *lentStmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.cs.stmt.Query(args) //nolint:staticcheck // as Exec
}

func (s *lentStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.cs.stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (s *lentStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.cs.stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
}

// release marks the statement free again, or finalizes it if the cache
// dropped it meanwhile.
func (cs *cachedStmt) release() error {
	cs.busy = false
	if cs.evicted {
		return cs.stmt.Close()
	}
	return nil
}

// Close finalizes the cached statements before the connection: SQLite
// refuses to close a connection with statements still prepared.
func (c *cachingConn) Close() error {
	for e := c.lru.Front(); e != nil; e = e.Next() {
		cs := e.Value.(*cachedStmt)
		if !cs.busy {
			cs.stmt.Close()
		}
	}
	c.lru.Init()
	clear(c.stmts)
	return c.sqliteConn.Close()
}

// cachedRows gives its statement back to the cache when closed.
type cachedRows struct {
	driver.Rows
	cs     *cachedStmt
	closed bool
}

func (r *cachedRows) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	err := r.Rows.Close() // resets the statement for its next use
	return errors.Join(err, r.cs.release())
}

// The column-type methods database/sql looks for on rows.

func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *cachedRows) ColumnTypeLength(i int) (int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return t.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *cachedRows) ColumnTypeNullable(i int) (bool, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}

func (r *cachedRows) ColumnTypePrecisionScale(i int) (int64, int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypePrecisionScale); ok {
		return t.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}

func (r *cachedRows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}
