using System.Collections.Concurrent;
using WeChatAssist.WeChat.Security;

namespace WeChatAssist.WeChat.Webhook;

/// <summary>One <see cref="SafeModeCipher"/> per (EncodingAESKey, app id), so keys are expanded once.</summary>
internal sealed class SafeModeCipherCache : IDisposable
{
    private readonly ConcurrentDictionary<(string Key, string AppId), SafeModeCipher> _ciphers = new();

    public SafeModeCipher Get(string encodingAesKey, string appId) =>
        _ciphers.GetOrAdd((encodingAesKey, appId), static k => new SafeModeCipher(k.Key, k.AppId));

    public void Dispose()
    {
        foreach (var cipher in _ciphers.Values)
            cipher.Dispose();
        _ciphers.Clear();
    }
}
