namespace Lpp;

/// <summary>
/// The set of record ids seen in one file, kept as 64-bit XxHash3 values in an open-addressing table: about
/// 11 bytes a record, the only memory that grows with the input. Two different ids colliding (odds about n²/2⁶⁵,
/// 3·10⁻⁸ for a million records) would be reported as a duplicate.
/// </summary>
internal sealed class IdSet
{
    private ulong[] _slots = new ulong[1024];
    private bool _hasZero;
    private int _count;

    /// <summary>Adds the id; false when it was already there.</summary>
    public bool Add(string id)
    {
        var hash = System.IO.Hashing.XxHash3.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes(id.AsSpan()));
        if (hash == 0)
        {
            var added = !_hasZero;
            _hasZero = true;
            return added;
        }

        if ((_count + 1) * 4 > _slots.Length * 3)
        {
            Grow();
        }

        if (!Insert(_slots, hash))
        {
            return false;
        }

        _count++;
        return true;
    }

    private static bool Insert(ulong[] slots, ulong hash)
    {
        var mask = slots.Length - 1;
        var i = (int)(hash & (ulong)mask);
        while (slots[i] != 0)
        {
            if (slots[i] == hash)
            {
                return false;
            }

            i = (i + 1) & mask;
        }

        slots[i] = hash;
        return true;
    }

    private void Grow()
    {
        var larger = new ulong[_slots.Length * 2];
        foreach (var hash in _slots)
        {
            if (hash != 0)
            {
                Insert(larger, hash);
            }
        }

        _slots = larger;
    }
}
