package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/zoombridge/zoombridge/internal/jobs"
	"github.com/zoombridge/zoombridge/internal/store"
)

func runMigrate(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	cfg, err := configOnly(env, args, stderr, "migrate")
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, cfg.SQLitePath())
	if err != nil {
		return err
	}
	defer st.Close()
	applied, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	if err := jobs.Migrate(ctx, st); err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	if len(applied) == 0 {
		fmt.Fprintf(stdout, "%s schema is up to date\n", st.Dialect())
	} else {
		fmt.Fprintf(stdout, "%s: applied %s\n", st.Dialect(), strings.Join(applied, ", "))
	}
	return nil
}
