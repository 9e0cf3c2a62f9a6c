package zoomsim

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"time"
)

// IDs are drawn from the seeded generators so that one seed yields the same
// account byte for byte; their shapes follow Zoom's examples.

func randBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return b
}

// zoomUserID looks like "KDcuGIm1QgePTO8WbOqwIQ": 16 bytes, base64url, unpadded.
func zoomUserID(r *rand.Rand) string { return base64.RawURLEncoding.EncodeToString(randBytes(r, 16)) }

// meetingUUID looks like "aDYlohsHRtCd4ii1uC2+hA==": standard base64, so some
// start with "/" or contain "//" and need Zoom's double encoding in paths.
func meetingUUID(r *rand.Rand) string { return base64.StdEncoding.EncodeToString(randBytes(r, 16)) }

// meetingNumber is a 10 or 11 digit meeting ID.
func meetingNumber(r *rand.Rand) int64 { return 8_000_000_000 + r.Int64N(90_000_000_000) }

func pmiNumber(r *rand.Rand) int64 { return 2_000_000_000 + r.Int64N(7_000_000_000) }

// uuid4 is a canonical lowercase UUID, as recording file IDs are.
func uuid4(r *rand.Rand) string {
	b := randBytes(r, 16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// callID is a 19-digit Zoom Phone call ID.
func callID(r *rand.Rand) string {
	return fmt.Sprintf("%d", 6_900_000_000_000_000_000+r.Int64N(99_999_999_999_999_999))
}

// callHistoryID is "20231008-<uuid>", the date-prefixed call history ID.
func callHistoryID(r *rand.Rand, t time.Time) string {
	return t.UTC().Format("20060102") + "-" + uuid4(r)
}

func hexID(r *rand.Rand, n int) string { return hex.EncodeToString(randBytes(r, n)) }

func password(r *rand.Rand) string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 6)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// chance is true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }
