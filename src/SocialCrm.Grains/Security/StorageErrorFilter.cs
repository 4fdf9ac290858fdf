using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace SocialCrm.Grains.Security;

/// <summary>
/// Database drivers' exceptions cannot cross the wire (no codec), and their messages may quote data.
/// A grain call that fails in the database is logged here and answered with a plain, serializable error.
/// </summary>
public sealed class StorageErrorFilter(ILogger<StorageErrorFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (DbException ex)
        {
            logger.LogError("{Method} failed in the database: {Error} (SQL state {State})", context.ImplementationMethod.Name,
                ex.GetType().Name, ex.SqlState);
            throw new StorageUnavailableException($"The database could not complete {context.ImplementationMethod.Name} ({ex.SqlState ?? ex.GetType().Name}).");
        }
    }
}

/// <summary>The database failed a grain's work; the caller may retry.</summary>
[GenerateSerializer]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message) : base(message)
    {
    }
}
