package cli

import (
	"context"
	"fmt"
	"io"
)

// benchmarks are the `zoombridge bench` subcommands; each prints the figures
// docs/benchmarks.md records, with the command that produced them.
var benchmarks = []command{
	{"webhooks", "verified webhooks durably accepted per second, and answer times at a fixed rate", runBenchWebhooks},
	{"outbound", "signed durable webhook deliveries per second, and the cost of publishing each ingested activity", runBenchOutbound},
	{"visible", "webhook to visible through the REST API at 1,000 events/s (G6)", runBenchVisible},
	{"backfill", "backfill of an emulated account within Zoom's rate limits (G8-G10)", runBenchBackfill},
	{"accounts", "memory of a serve process with 1,000 connected accounts syncing, webhooks arriving (G11)", runBenchAccounts},
	{"timeline", "team day and weekly chart pages at 10M activities while webhooks arrive (G7)", runBenchTimeline},
	{"recordings", "from the emulator's recording.completed to the video linked and readable through the API: p50, p99", runBenchRecordings},
}

func runBench(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		for _, b := range benchmarks {
			if b.name == args[0] {
				return b.run(ctx, args[1:], env, stdout, stderr)
			}
		}
	}
	fmt.Fprintln(stderr, "Usage: zoombridge bench <benchmark> [flags]\n\nBenchmarks:")
	for _, b := range benchmarks {
		fmt.Fprintf(stderr, "  %-9s %s\n", b.name, b.summary)
	}
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		return nil
	}
	return errUsage
}
