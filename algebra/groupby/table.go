package groupby

import "math/bits"

// u64Table maps uint64 keys to dense codes 0, 1, 2, ... in insertion order.
// Open addressing with linear probing; a slot's val is code+1, 0 is empty,
// so a fresh table is zeroed memory.
type u64Table struct {
	slots []u64Slot
	shift uint // 64 - log2(len(slots))
	n     int
}

type u64Slot struct {
	key uint64
	val uint32
}

// newU64Table returns a table sized for about hint keys without growing.
func newU64Table(hint int) *u64Table {
	size := 16
	for size < 2*hint {
		size <<= 1
	}
	return &u64Table{slots: slotPool.getZeroed(size), shift: uint(64 - bits.TrailingZeros(uint(size)))}
}

// release recycles the table's memory.
func (t *u64Table) release() {
	slotPool.put(t.slots)
	t.slots = nil
}

// hash64 spreads k over the table's high bits (Fibonacci hashing after a
// fold, since composite codes c1*n2+c2 vary mostly in the low bits).
func hash64(k uint64) uint64 {
	k ^= k >> 29
	return k * 0x9e3779b97f4a7c15
}

// slot returns k's slot: the one holding k, or the empty one where k
// goes. The caller fills an empty slot (key, val = code+1) and counts it in
// n. Growth happens here, before probing, so the slot stays valid.
func (t *u64Table) slot(k uint64) *u64Slot {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	mask := uint64(len(t.slots) - 1)
	i := hash64(k) >> t.shift
	for {
		s := &t.slots[i]
		if s.val == 0 || s.key == k {
			return s
		}
		i = (i + 1) & mask
	}
}

func (t *u64Table) grow() {
	old := t.slots
	t.slots = slotPool.getZeroed(2 * len(old))
	defer slotPool.put(old)
	t.shift--
	mask := uint64(len(t.slots) - 1)
	for _, s := range old {
		if s.val == 0 {
			continue
		}
		i := hash64(s.key) >> t.shift
		for t.slots[i].val != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = s
	}
}

// bytesTable maps byte strings to dense codes; it stores hashes and codes
// only and compares against the key's first row through key(code), so no
// key bytes are copied.
type bytesTable struct {
	slots []bytesSlot
	mask  uint64
	n     int
}

type bytesSlot struct {
	hash uint64
	val  uint32 // code+1; 0 is empty
}

func newBytesTable() *bytesTable {
	return &bytesTable{slots: make([]bytesSlot, 64), mask: 63}
}

func (t *bytesTable) grow() {
	old := t.slots
	t.slots = make([]bytesSlot, 2*len(old))
	t.mask = uint64(len(t.slots) - 1)
	for _, s := range old {
		if s.val == 0 {
			continue
		}
		i := s.hash & t.mask
		for t.slots[i].val != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = s
	}
}
