using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Memory;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.PersonalData;

namespace WeChatAssist.Server.MiniProgram;

/// <summary>A signed-in mini-program user.</summary>
internal sealed record MiniProgramSession(string SessionId, string Account, string AppId, string OpenId, string? UnionId);

/// <summary>Sessions in <c>mp_sessions</c>. WeChat's session_key is kept there encrypted and never leaves the server;
/// the client holds only our token: the session id, signed and time-limited by ASP.NET Core Data Protection.</summary>
internal sealed class MiniProgramSessions(DatabaseTarget database, PersonalDataProtector protector, IDataProtectionProvider dataProtection, IMemoryCache cache, TimeProvider clock)
{
    /// <summary>How long a node trusts a session it has read. Sessions only ever end by expiry, which the cache honours too.</summary>
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    private readonly ITimeLimitedDataProtector _tokens = dataProtection.CreateProtector("WeChatAssist.MiniProgram.Session.v1").ToTimeLimitedDataProtector();

    /// <summary>Stores the session and returns the bearer token and its expiry.</summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt)> CreateAsync(string account, string appId, WeChatAssist.WeChat.Api.MiniProgramSession session, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var id = RandomNumberGenerator.GetHexString(32, lowercase: true);
        var now = clock.GetUtcNow();
        var expires = now + lifetime;
        await database.ExecuteAsync(
            """
            INSERT INTO mp_sessions (session_id, account, app_id, open_id, union_id, session_key_encrypted, created_at, expires_at)
            VALUES (@id, @account, @appId, @OpenId, @unionId, @key, @now, @expires)
            """,
            new { id, account, appId, session.OpenId, unionId = string.IsNullOrEmpty(session.UnionId) ? null : session.UnionId, key = protector.Protect(session.SessionKey), now, expires },
            cancellationToken);
        return (_tokens.Protect(id, expires), expires);
    }

    /// <summary>The live session a token names, or null for a forged, expired or unknown token.</summary>
    public async Task<MiniProgramSession?> FindAsync(string token, CancellationToken cancellationToken)
    {
        string id;
        try
        {
            id = _tokens.Unprotect(token, out _);
        }
        catch (CryptographicException)
        {
            return null;
        }

        // Every request of the mini-program authenticates; a session read in the last minute is not read again.
        var now = clock.GetUtcNow();
        var key = "mp-session:" + id;
        if (cache.TryGetValue(key, out MiniProgramSession? cached))
        {
            return cached;
        }

        var row = await database.QuerySingleOrDefaultAsync<SessionRow>(
            "SELECT account, app_id, open_id, union_id, expires_at FROM mp_sessions WHERE session_id = @id AND expires_at > @now", new { id, now }, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var session = new MiniProgramSession(id, row.Account, row.AppId, row.OpenId, row.UnionId);
        var expires = row.ExpiresAt;
        cache.Set(key, session, new MemoryCacheEntryOptions { AbsoluteExpiration = expires < now + CacheFor ? expires : now + CacheFor, Size = 1 });
        return session;
    }

    /// <summary>An <c>mp_sessions</c> row as <see cref="FindAsync"/> reads it.</summary>
    private sealed record SessionRow(string Account, string AppId, string OpenId, string? UnionId, DateTimeOffset ExpiresAt);
}
