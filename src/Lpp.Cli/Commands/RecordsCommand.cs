using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Lpp.Inference;

namespace Lpp.Cli.Commands;

/// <summary><c>lpp records merge</c>: joins the outputs of sharded <c>lpp infer</c> runs into one file.</summary>
internal static class RecordsCommand
{
    public static Command Create()
    {
        var inputs = new Option<string[]>("--input") { Description = "A shard's records (JSON Lines); give one --input per shard.", AllowMultipleArgumentsPerToken = false };
        var output = new Option<string>("--output") { Description = "The merged records (JSON Lines), written whole or not at all." };
        var expect = new Option<string?>("--expect") { Description = "The items every shard was run on (ITEMS.jsonl): report pairs missing from every shard." };
        var concepts = new Option<string?>("--concepts") { Description = "CONCEPTS.json of the run, with --expect." };
        var merge = new Command("merge", "Join shard outputs into one file, refusing duplicate ids; with --expect, report pairs no shard wrote.") { inputs, output, expect, concepts };
        merge.SetAction(parse => Merge(
            parse.GetValue(inputs) is { Length: > 0 } i ? i : throw new CliException("--input is required (one per shard)"),
            parse.GetValue(output) ?? throw new CliException("--output is required"),
            parse.GetValue(expect),
            parse.GetValue(concepts)));
        return new Command("records", "Work with decision record files.") { merge };
    }

    private static int Merge(string[] inputs, string output, string? expect, string? conceptsPath)
    {
        OutputFiles.CheckReadable(inputs, "--input");
        if ((expect is null) != (conceptsPath is null))
        {
            throw new CliException("--expect and --concepts go together");
        }

        var seen = new Dictionary<string, (int File, long Line)>(StringComparer.Ordinal);
        var temporary = output + ".merge.tmp";
        long written = 0;
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                for (var f = 0; f < inputs.Length; f++)
                {
                    using var reader = Guard(() => JsonLinesReader.Open(inputs[f]), inputs[f]);
                    while (reader.TryRead(out var line))
                    {
                        if (line.Problem is not null)
                        {
                            throw new CliException($"{inputs[f]}:{line.Number.ToString(CultureInfo.InvariantCulture)}: {line.Problem}");
                        }

                        var id = IdOf(line.Bytes.Span) ?? throw new CliException($"{inputs[f]}:{line.Number.ToString(CultureInfo.InvariantCulture)}: not a record with an id");
                        if (!seen.TryAdd(id, (f, line.Number)))
                        {
                            var (first, at) = seen[id];
                            throw new CliException($"{inputs[f]}:{line.Number.ToString(CultureInfo.InvariantCulture)}: duplicate id '{id}' (first in {inputs[first]}:{at.ToString(CultureInfo.InvariantCulture)}); nothing was written");
                        }

                        stream.Write(line.Bytes.Span);
                        stream.WriteByte((byte)'\n');
                        written++;
                    }
                }

                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, output, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"records merge: {inputs.Length} inputs, {written} records -> {output}"));
        if (expect is null)
        {
            return ExitCodes.Ok;
        }

        OutputFiles.CheckReadable([expect, conceptsPath!], "--expect/--concepts");
        IReadOnlyList<Concept> concepts;
        try
        {
            concepts = ConceptFile.Load(conceptsPath!);
        }
        catch (FormatException e)
        {
            throw new CliException($"--concepts {conceptsPath}: {e.Message}");
        }

        long expected = 0;
        var missing = new List<string>();
        long missingCount = 0;
        foreach (var result in ItemReader.Read(expect))
        {
            if (result.Item is not { } item)
            {
                continue;
            }

            foreach (var concept in concepts)
            {
                expected++;
                var id = item.Id + "/" + concept.Key;
                if (!seen.ContainsKey(id))
                {
                    missingCount++;
                    if (missing.Count < 10)
                    {
                        missing.Add(id);
                    }
                }
            }
        }

        if (missingCount == 0)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"records merge: all {expected} expected pairs are present"));
            return ExitCodes.Ok;
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"records merge: {missingCount} of {expected} expected pairs are missing from every shard: {string.Join(", ", missing)}{(missingCount > missing.Count ? ", ..." : string.Empty)}"));
        return ExitCodes.NoAnswer;
    }

    private static T Guard<T>(Func<T> open, string path)
    {
        try
        {
            return open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--input {path}: cannot read ({e.Message})");
        }
    }

    private static string? IdOf(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("id"u8);
                reader.Read();
                if (isId)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
