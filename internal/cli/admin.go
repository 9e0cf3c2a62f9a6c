package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"github.com/zoombridge/zoombridge/internal/jobs"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/web"
)

const adminHelp = `
Subcommands:
  create-owner --org NAME --email EMAIL [--password-file FILE]
      create the first organization and its Owner (automated installs); the
      password comes from FILE or, without it, a prompt. Refused once an
      organization has an Owner.
`

// runAdmin runs an administration subcommand against the configured database.
func runAdmin(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create-owner" {
		fmt.Fprint(stderr, "Usage: zoombridge admin create-owner --org NAME --email EMAIL [--password-file FILE]\n"+adminHelp)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return nil
		}
		return errUsage
	}
	fs := newFlagSet("admin create-owner", adminHelp+envHelp(), stderr)
	org := fs.String("org", "", "the organization's name")
	email := fs.String("email", "", "the Owner's email (their sign-in)")
	pwFile := fs.String("password-file", "", "file holding the Owner's password (otherwise prompted)")
	cfg, err := loadConfig(env, fs, args[1:], nil)
	if err != nil {
		return err
	}
	if *org == "" || *email == "" {
		return errors.New("--org and --email are required")
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, cfg.SQLitePath())
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	if err := jobs.Migrate(ctx, st); err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	// Refuse before asking for a password that would not be used.
	owned, err := st.HasOwner(ctx)
	switch {
	case err != nil:
		return err
	case owned:
		return web.ErrAlreadySetUp
	}
	pw, err := readPassword(*pwFile, stderr)
	if err != nil {
		return err
	}
	o, _, err := web.CreateFirstOwner(ctx, st, "", *org, *email, pw)
	if err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(cfg.DataDir, web.SetupFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(stderr, "warning: could not remove the unused set-up link's file: %v\n", err)
	}
	fmt.Fprintf(stdout, "Created organization %q with Owner %s; sign in at %s/signin\n", o.Name, store.NormEmail(*email), cfg.PublicURL)
	return nil
}

// readPassword reads the first line of file, or prompts for it (without
// echo on a terminal, twice to catch a typo).
func readPassword(file string, stderr io.Writer) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("--password-file: %w", err)
		}
		line, _, _ := strings.Cut(string(b), "\n")
		return strings.TrimRight(line, "\r"), nil
	}
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", errors.New("no password: give --password-file or type it at the prompt")
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	var pws [2]string
	for i, prompt := range []string{"Owner's password: ", "Again: "} {
		fmt.Fprint(stderr, prompt)
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		pws[i] = string(b)
	}
	if pws[0] != pws[1] {
		return "", errors.New("the two passwords differ")
	}
	return pws[0], nil
}
