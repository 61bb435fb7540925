using System.Collections.Concurrent;

namespace WeChatAssist.Server.Chat;

/// <summary>Records the QR scene a follower came through (subscribe with <c>qrscene_</c>, or SCAN), for cadre attribution.</summary>
internal interface IFollowerSceneRecorder
{
    /// <summary>Records one arrival through <paramref name="scene"/>.</summary>
    ValueTask RecordAsync(string account, string openId, string scene, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>One recorded arrival.</summary>
internal sealed record FollowerScene(string Account, string OpenId, string Scene, DateTimeOffset At);

/// <summary>Scenes in memory (single node, tests); the database recorder writes <c>follower_scene</c>.</summary>
internal sealed class InMemoryFollowerSceneRecorder : IFollowerSceneRecorder
{
    private readonly ConcurrentQueue<FollowerScene> _scenes = new();

    /// <summary>Everything recorded, oldest first.</summary>
    public IReadOnlyList<FollowerScene> Scenes => [.. _scenes];

    public ValueTask RecordAsync(string account, string openId, string scene, DateTimeOffset at, CancellationToken cancellationToken)
    {
        _scenes.Enqueue(new FollowerScene(account, openId, scene, at));
        return ValueTask.CompletedTask;
    }
}

/// <summary>The follower's WeChat language (zh_CN, zh_TW, zh_HK, en), e.g. from the user-info API or the mini-program.</summary>
internal interface IFollowerLanguages
{
    /// <summary>The language code, or null when unknown (answers are then in Simplified Chinese).</summary>
    ValueTask<string?> FindAsync(string account, string openId, CancellationToken cancellationToken);
}

/// <summary>Until the user-info lookup exists: every follower's language is unknown.</summary>
internal sealed class UnknownFollowerLanguages : IFollowerLanguages
{
    public ValueTask<string?> FindAsync(string account, string openId, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);
}
