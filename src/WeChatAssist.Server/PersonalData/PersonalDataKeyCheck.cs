using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.PersonalData;

/// <summary>Refuses to start with personal-data keys that are not the ones the database's values were written with
/// (a restore with the wrong key file, a typo in a secret): with such a key every read fails and every write adds rows
/// nobody can read later, and a wrong lookup key finds nobody and registers everybody again. The database keeps a
/// fingerprint of each key in <c>app_settings</c> (an HMAC of a fixed text, which does not reveal the key); a
/// database from before the fingerprints is checked by decrypting one stored name. Runs after the schema migrator and
/// before the server listens.</summary>
internal sealed class PersonalDataKeyCheck(AppSettings settings, ResidentRegistry residents, IOptions<PersonalDataOptions> options, PersonalDataProtector protector) : IHostedService
{
    public const string SettingKey = "personal-data.key-fingerprints";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.IsConfigured)
        {
            return;
        }

        const string Section = PersonalDataOptions.SectionName;
        var stored = await settings.FindAsync(SettingKey, cancellationToken) is { } json ? JsonSerializer.Deserialize<Fingerprints>(json) : null;
        var current = Fingerprints.Of(o);
        var failures = new List<string>();
        if (stored is null)
        {
            // Written before fingerprints existed (or empty): one stored name must open with the configured keys.
            if (await residents.FirstStoredNameAsync(cancellationToken) is { } name)
            {
                try
                {
                    protector.Unprotect(name);
                }
                catch (PersonalDataException e)
                {
                    failures.Add($"{Section}:Keys: the configured keys do not open the names stored in this database ({e.Message}).");
                }
            }
        }
        else
        {
            if (stored.Lookup != current.Lookup)
            {
                failures.Add($"{Section}:LookupKey: is not the lookup key this database's ID numbers were hashed with.");
            }

            foreach (var (id, fingerprint) in stored.Keys.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                if (!current.Keys.TryGetValue(id, out var configured))
                {
                    failures.Add($"{Section}:Keys:{id}: missing; this database holds values encrypted with it.");
                }
                else if (configured != fingerprint)
                {
                    failures.Add($"{Section}:Keys:{id}: is not the key this database's values were encrypted with.");
                }
            }
        }

        if (failures.Count > 0)
        {
            failures.Add("Nothing was written. Configure the keys kept with this database's backup (README: Backup and restore).");
            throw new OptionsValidationException(Section, typeof(PersonalDataOptions), failures);
        }

        // Remember every key in use from now on (new ids added by a rotation included).
        var merged = stored is null ? current : stored with { Keys = new Dictionary<string, string>(stored.Keys.Concat(current.Keys.Where(k => !stored.Keys.ContainsKey(k.Key))), StringComparer.Ordinal) };
        if (stored is null || merged.Keys.Count != stored.Keys.Count)
        {
            await settings.SetAsync(SettingKey, JsonSerializer.Serialize(merged), DateTimeOffset.UtcNow, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>HMAC-SHA256 of a fixed text under each key, first 16 bytes in hex.</summary>
    internal sealed record Fingerprints(string Lookup, Dictionary<string, string> Keys)
    {
        private static readonly byte[] Text = Encoding.ASCII.GetBytes("WeChatAssist personal-data key fingerprint v1");

        public static Fingerprints Of(PersonalDataOptions options) => new(
            Of(options.LookupKey),
            options.Keys.ToDictionary(k => k.Key, k => Of(k.Value), StringComparer.Ordinal));

        private static string Of(string base64) =>
            PersonalDataOptionsValidator.Decode(base64) is { } key ? Convert.ToHexStringLower(HMACSHA256.HashData(key, Text).AsSpan(0, 16)) : "";
    }
}
