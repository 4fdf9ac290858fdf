using System.Globalization;
using System.Text;

namespace SocialCrm.Abstractions.Customers;

/// <summary>
/// How the inbox finds a customer by name: the name folded to lower case without accents, its words
/// separated by one space and led by one, so "zoë" finds "Zoë Martin" and "mart" finds her too (a
/// word's start), while "oe" does not.
/// </summary>
public static class SearchNames
{
    public const int MaxLength = 200;

    /// <summary>The stored search form of a display name, or null when it has no letters or digits.</summary>
    public static string? Key(string? name)
    {
        var words = Words(name);
        if (words.Count == 0) return null;
        var key = " " + string.Join(' ', words);
        return key.Length <= MaxLength ? key : key[..MaxLength];
    }

    /// <summary>The LIKE pattern for what an agent typed: the start of a word sequence, anywhere in the name; null when nothing searchable was typed.</summary>
    public static string? Pattern(string? typed)
    {
        var words = Words(typed);
        // Only letters, digits and single spaces remain: no LIKE wildcard can come from the user.
        return words.Count == 0 ? null : "% " + string.Join(' ', words) + "%";
    }

    private static List<string> Words(string? value)
    {
        var words = new List<string>();
        if (string.IsNullOrWhiteSpace(value)) return words;
        var word = new StringBuilder();
        foreach (var c in value.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark) continue;
            if (char.IsLetterOrDigit(c)) word.Append(char.ToLowerInvariant(c));
            else Flush();
        }
        Flush();
        return words;

        void Flush()
        {
            if (word.Length > 0) words.Add(word.ToString().Normalize(NormalizationForm.FormC));
            word.Clear();
        }
    }
}
