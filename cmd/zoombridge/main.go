// Command zoombridge is the self-hosted Zoom integration server; see README.md.
package main

import (
	"os"

	"github.com/zoombridge/zoombridge/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Environ(), os.Stdout, os.Stderr))
}
