namespace Lpp;

/// <summary>One line of a JSON Lines file, valid until the next read.</summary>
/// <param name="Number">1-based line number.</param>
/// <param name="Bytes">The line without its line ending (or, when <paramref name="Problem"/> is set, its start).</param>
/// <param name="Problem">Why the line cannot be a record (too long, cut by a truncated file), or null.</param>
public readonly record struct JsonLine(long Number, ReadOnlyMemory<byte> Bytes, string? Problem);
