using SocialCrm.Abstractions;

namespace SocialCrm.Host.Api;

/// <summary>Maps a grain outcome: the value through <paramref name="onValue"/>, a refusal to its problem.</summary>
public static class ResultsOf
{
    public static IResult Map<T>(Outcome<T> outcome, Func<T, IResult> onValue) =>
        outcome.Refusal is { } refusal ? Problems.From(refusal) : onValue(outcome.Value!);
}
