package vec

import (
	"encoding/binary"
)

// chunk is how many rows a kernel decides into a bool scratch before
// packing them into a bitmap: small enough to live on the stack and in
// L1, a multiple of 8 so that chunks start on byte boundaries.
const chunk = 1024

// packBools packs bools (len a multiple of 8, except for the last chunk)
// into out, LSB first as Arrow wants. Eight bools are read as one word;
// the multiply gathers byte j's low bit into bit 56+j.
func packBools(in []bool, out []byte) {
	n := len(in)
	full := n &^ 7
	for i := 0; i < full; i += 8 {
		x := binary.LittleEndian.Uint64(boolBytes(in[i : i+8]))
		out[i>>3] = byte((x * 0x0102040810204080) >> 56)
	}
	if full < n {
		var w byte
		for j, v := range in[full:] {
			if v {
				w |= 1 << j
			}
		}
		out[full>>3] = w
	}
}

// invertBits flips the first n bits of b (the bits past n are junk).
func invertBits(b []byte, n int) {
	b = b[:(n+7)/8]
	for i := range b {
		b[i] = ^b[i]
	}
}
