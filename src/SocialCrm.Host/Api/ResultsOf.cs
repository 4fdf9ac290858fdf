using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using SocialCrm.Abstractions;

namespace SocialCrm.Host.Api;

/// <summary>
/// Maps a grain outcome to a typed result: the value through <c>onValue</c>, a refusal to its problem
/// (<see cref="Problems"/>). The result types say what the endpoint answers, so OpenAPI cannot drift from it.
/// </summary>
public static class ResultsOf
{
    public static Results<TResult, ProblemHttpResult, ValidationProblem> Map<T, TResult>(Outcome<T> outcome, Func<T, TResult> onValue)
        where TResult : IResult => outcome.Refusal switch
    {
        null => onValue(outcome.Value!),
        { Kind: RefusalKind.Validation } refusal => Problems.Invalid(refusal),
        { } refusal => Problems.Refused(refusal),
    };

    /// <summary>For endpoints with two answers to a success, such as 201 for a new message and 200 for a repeated one.</summary>
    public static Results<TFirst, TSecond, ProblemHttpResult, ValidationProblem> Map<T, TFirst, TSecond>(Outcome<T> outcome,
        Func<T, Results<TFirst, TSecond>> onValue) where TFirst : IResult where TSecond : IResult => outcome.Refusal switch
    {
        null => onValue(outcome.Value!).Result switch
        {
            TFirst first => first,
            TSecond second => second,
            _ => throw new UnreachableException(),
        },
        { Kind: RefusalKind.Validation } refusal => Problems.Invalid(refusal),
        { } refusal => Problems.Refused(refusal),
    };
}
