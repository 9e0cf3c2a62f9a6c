// Command zoombridge is the self-hosted Zoom integration server; see README.md.
package main

import (
	"os"
	_ "time/tzdata" // time zones work on hosts without tzdata (slim containers)

	"github.com/zoombridge/zoombridge/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Environ(), os.Stdout, os.Stderr))
}
