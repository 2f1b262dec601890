using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Lpp.Cli;

/// <summary>
/// Command-line parse errors in plain words: a value of the wrong type says what is expected ("--top-k abc: must be a
/// whole number"), an unknown option suggests the closest one the command has.
/// </summary>
internal static partial class ParseErrors
{
    private static readonly ConditionalWeakTable<Option, string> Expectations = [];

    /// <summary>
    /// Says in words what <paramref name="option"/> takes ("a whole number from 1 to 20"), used both when its value
    /// cannot be parsed and when it is out of range (a validator is added for the range).
    /// </summary>
    public static Option<int> WholeNumber(Option<int> option, int min, int max = int.MaxValue)
    {
        var expected = max == int.MaxValue ? $"a whole number, at least {min}" : $"a whole number from {min} to {max}";
        Expectations.AddOrUpdate(option, expected);
        option.Validators.Add(result =>
        {
            // Only a value given on the command line is checked (a default is valid); one that is not a number has its own error.
            if (result.Tokens.Count > 0 && int.TryParse(result.Tokens[^1].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && (value < min || value > max))
            {
                result.AddError($"{option.Name} {value}: must be {expected}");
            }
        });
        return option;
    }

    /// <summary>One line per error of <paramref name="parse"/>.</summary>
    public static IEnumerable<string> Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var unknownSeen = false;
        var missing = new List<string>();
        foreach (var error in parse.Errors)
        {
            var isUnknown = UnknownToken().IsMatch(error.Message);
            if ((unknownSeen && isUnknown) || (error.Message.StartsWith("Required command was not provided", StringComparison.Ordinal) && parse.Errors.Any(e => UnknownToken().IsMatch(e.Message))))
            {
                // One line is enough: the value after an unknown option, or "no command" after an unknown command, adds nothing.
                continue;
            }

            unknownSeen |= isUnknown;
            if (TypeError().Match(error.Message) is { Success: true } type)
            {
                var option = (error.SymbolResult as OptionResult)?.Option ?? (error.SymbolResult?.Parent as OptionResult)?.Option;
                var expected = option is not null && Expectations.TryGetValue(option, out var words) ? words : Expected(type.Groups["type"].Value);
                yield return $"{type.Groups["option"].Value} {type.Groups["value"].Value}: must be {expected}";
            }
            else if (RequiredOption().Match(error.Message) is { Success: true } required)
            {
                missing.Add(required.Groups["option"].Value);
            }
            else if (UnknownToken().Match(error.Message) is { Success: true } unknown)
            {
                var token = unknown.Groups["token"].Value;
                var suggestion = Suggest(token, command);
                var what = token.StartsWith('-') ? "option" : "argument";
                yield return $"unknown {what} '{token}' for {Path(command)}" + (suggestion is null ? $" (see {Path(command)} --help)" : $" (did you mean {suggestion}?)");
            }
            else if (NotAmong().Match(error.Message) is { Success: true } among)
            {
                var option = (error.SymbolResult as OptionResult)?.Option ?? (error.SymbolResult?.Parent as OptionResult)?.Option;
                var choices = string.Join(", ", among.Groups["choice"].Captures.Select(c => c.Value));
                yield return $"{option?.Name ?? "argument"} {among.Groups["value"].Value}: must be one of {choices}";
            }
            else
            {
                // Anything else System.CommandLine says, on one line.
                yield return string.Join(' ', error.Message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
        }

        // Missing options in one line; after an unknown option (most likely one of them, misspelt) they add nothing.
        if (missing.Count > 0 && !unknownSeen)
        {
            yield return missing.Count == 1
                ? $"{missing[0]} is required (see {Path(command)} --help)"
                : $"{string.Join(", ", missing[..^1])} and {missing[^1]} are required (see {Path(command)} --help)";
        }
    }

    /// <summary>The option or subcommand of <paramref name="command"/> closest to <paramref name="token"/> (edit distance at most 2, or a unique prefix).</summary>
    internal static string? Suggest(string token, Command command)
    {
        var names = command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name))
            .Concat(command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var prefixed = names.Where(n => n.StartsWith(token, StringComparison.Ordinal) && token.TrimStart('-').Length >= 2).ToList();
        if (prefixed.Count == 1)
        {
            return prefixed[0];
        }

        var best = names.Select(n => (Name: n, Distance: Distance(token, n))).OrderBy(p => p.Distance).ThenBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault();
        return best.Name is not null && best.Distance <= (token.TrimStart('-').Length >= 4 ? 2 : 1) ? best.Name : null;
    }

    private static string Expected(string type) => type switch
    {
        "System.Int32" or "System.Int64" => "a whole number",
        "System.Double" or "System.Single" or "System.Decimal" => "a number",
        "System.Boolean" => "true or false",
        _ => "a value of another kind",
    };

    private static string Path(Command command)
    {
        var names = new List<string>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Add(c.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>Edit distance: insertions, deletions, substitutions and swaps of neighbours ("--mdoel" is 1 from "--model").</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    [GeneratedRegex("^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'")]
    private static partial Regex TypeError();

    [GeneratedRegex("^Option '(?<option>[^']+)' is required")]
    private static partial Regex RequiredOption();

    [GeneratedRegex(@"^Argument '(?<value>.*)' not recognized\. Must be one of:(?:\s*'(?<choice>[^']*)')+")]
    private static partial Regex NotAmong();

    [GeneratedRegex("^Unrecognized command or argument '(?<token>.*)'")]
    private static partial Regex UnknownToken();
}
