using System.Text;

namespace SocialCrm.Abstractions.Automation;

/// <summary>The values a template's placeholders stand for; a missing one renders as nothing.</summary>
public sealed record TemplateValues(
    string? CustomerName = null,
    string? BrandName = null,
    string? ChannelName = null,
    string? AgentName = null,
    string? ConversationId = null)
{
    /// <summary>The first word of the customer's name ("Ada" of "Ada Lovelace").</summary>
    public string? CustomerFirstName
    {
        get
        {
            var name = CustomerName?.Trim();
            if (string.IsNullOrEmpty(name)) return null;
            var end = 0;
            while (end < name.Length && !char.IsWhiteSpace(name[end])) end++;
            return name[..end];
        }
    }
}

/// <summary>
/// The text of automatic replies: plain text with a fixed set of placeholders such as
/// <c>{customer.first_name}</c>; <c>{{</c> and <c>}}</c> write literal braces. Rendering is one
/// pass over the template: an inserted value is never read again, so a customer named
/// "{brand.name}" is greeted by that name, not by the brand's.
/// </summary>
public static class RuleTemplates
{
    public const int MaxLength = 2000;

    public const string CustomerName = "customer.name";
    public const string CustomerFirstName = "customer.first_name";
    public const string BrandName = "brand.name";
    public const string ChannelName = "channel.name";
    public const string AgentName = "agent.name";
    public const string ConversationId = "conversation.id";

    public static readonly IReadOnlyList<string> Placeholders =
        [CustomerName, CustomerFirstName, BrandName, ChannelName, AgentName, ConversationId];

    private static readonly string KnownList = string.Join(", ", Placeholders.Select(p => "{" + p + "}"));

    /// <summary>Adds an error under <paramref name="field"/> for each unknown placeholder or unbalanced brace.</summary>
    public static void Validate(string? template, string field, FieldErrors errors)
    {
        if (template is null) return;
        for (var i = 0; i < template.Length; i++)
        {
            switch (template[i])
            {
                case '{' when At(template, i + 1, '{'):
                case '}' when At(template, i + 1, '}'):
                    i++;
                    break;
                case '}':
                    errors.Add(field, $"has a '}}' at position {i} that closes nothing; write '}}}}' for a literal brace.");
                    break;
                case '{':
                    var close = PlaceholderEnd(template, i);
                    if (close < 0)
                    {
                        errors.Add(field, $"has a '{{' at position {i} that is not closed; write '{{{{' for a literal brace.");
                        break;
                    }
                    var name = template.AsSpan(i + 1, close - i - 1);
                    if (!IsKnown(name))
                        errors.Add(field, $"has an unknown placeholder at position {i}{Quote(name)}; known: {KnownList}.");
                    i = close;
                    break;
            }
        }
    }

    /// <summary>
    /// The template with its placeholders replaced, trimmed and cut to <see cref="MaxLength"/>. A template
    /// that failed <see cref="Validate"/> still renders: what is not a known placeholder stays as written.
    /// </summary>
    public static string Render(string template, TemplateValues values)
    {
        var output = new StringBuilder(template.Length + 64);
        // Leading white space is never written, so once the output passes the cap the rest cannot matter.
        for (var i = 0; i < template.Length && output.Length <= MaxLength; i++)
        {
            var c = template[i];
            if ((c == '{' && At(template, i + 1, '{')) || (c == '}' && At(template, i + 1, '}')))
            {
                output.Append(c);
                i++;
                continue;
            }
            var close = c == '{' ? PlaceholderEnd(template, i) : -1;
            if (close < 0 || !IsKnown(template.AsSpan(i + 1, close - i - 1)))
            {
                Append(output, new ReadOnlySpan<char>(in c));
                continue;
            }
            Append(output, ValueOf(template.AsSpan(i + 1, close - i - 1), values));
            i = close;
        }
        return Cut(output.ToString()).TrimEnd();
    }

    private static void Append(StringBuilder output, ReadOnlySpan<char> text) =>
        output.Append(output.Length == 0 ? text.TrimStart() : text);

    /// <summary>The index of the '}' that closes the placeholder opened at <paramref name="open"/>, or -1 when another '{' or the end comes first.</summary>
    private static int PlaceholderEnd(string template, int open)
    {
        for (var j = open + 1; j < template.Length; j++)
        {
            if (template[j] == '}') return j;
            if (template[j] == '{') return -1;
        }
        return -1;
    }

    private static bool IsKnown(ReadOnlySpan<char> name)
    {
        foreach (var placeholder in Placeholders)
            if (name.SequenceEqual(placeholder)) return true;
        return false;
    }

    private static string? ValueOf(ReadOnlySpan<char> name, TemplateValues values) => name switch
    {
        CustomerName => values.CustomerName,
        CustomerFirstName => values.CustomerFirstName,
        BrandName => values.BrandName,
        ChannelName => values.ChannelName,
        AgentName => values.AgentName,
        ConversationId => values.ConversationId,
        _ => null,
    };

    private static bool At(string text, int index, char c) => index < text.Length && text[index] == c;

    // Echoes a short, plain name back to the author; anything else is left out of the error.
    private static string Quote(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > 40) return "";
        foreach (var c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')) return "";
        return " ({" + name.ToString() + "})";
    }

    private static string Cut(string text)
    {
        if (text.Length <= MaxLength) return text;
        // Never split a surrogate pair at the cut.
        var length = char.IsHighSurrogate(text[MaxLength - 1]) ? MaxLength - 1 : MaxLength;
        return text[..length];
    }
}
