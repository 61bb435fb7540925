using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace WeChatAssist.Server.PersonalData;

/// <summary>Registers <see cref="PersonalDataProtector"/> with keys validated at start.</summary>
internal static class PersonalDataExtensions
{
    /// <summary>The key id Development invents when no key is configured.</summary>
    public const string DevelopmentKeyId = "dev";

    /// <summary>Development's key material, in the database folder (never a settings file, never in git).</summary>
    public const string DevelopmentKeyFile = "development-personal-data.key";

    public static IHostApplicationBuilder AddPersonalData(this IHostApplicationBuilder builder)
    {
        // Keys are secrets: environment or user secrets only. Development without them gets keys made once and kept
        // beside the SQLite database, so a demo database stays readable across restarts; never used outside Development.
        if (builder.Environment.IsDevelopment())
        {
            builder.Configuration.AddInMemoryCollection(DevelopmentKeys(builder.Configuration, builder.Environment.ContentRootPath));
        }

        builder.Services.AddOptions<PersonalDataOptions>()
            .Bind(builder.Configuration.GetSection(PersonalDataOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PersonalDataOptions>, PersonalDataOptionsValidator>();
        builder.Services.AddSingleton<PersonalDataProtector>();
        builder.Services.AddSingleton<PersonalDataGate>();
        builder.Services.AddHostedService<PersonalDataKeyCheck>();
        return builder;
    }

    private static Dictionary<string, string?> DevelopmentKeys(IConfiguration configuration, string contentRoot)
    {
        var section = configuration.GetSection(PersonalDataOptions.SectionName);
        var keys = new Dictionary<string, string?>();
        var needsKey = !section.GetSection("Keys").GetChildren().Any();
        var needsLookup = string.IsNullOrEmpty(section["LookupKey"]);
        if (!needsKey && !needsLookup)
        {
            return keys;
        }

        var material = DevelopmentKeyMaterial(configuration, contentRoot);
        if (needsKey)
        {
            keys[$"{PersonalDataOptions.SectionName}:Keys:{DevelopmentKeyId}"] = Convert.ToBase64String(material.AsSpan(0, 32));
            if (string.IsNullOrEmpty(section["ActiveKeyId"]))
            {
                keys[$"{PersonalDataOptions.SectionName}:ActiveKeyId"] = DevelopmentKeyId;
            }
        }

        if (needsLookup)
        {
            keys[$"{PersonalDataOptions.SectionName}:LookupKey"] = Convert.ToBase64String(material.AsSpan(32, 32));
        }

        return keys;
    }

    // 64 random bytes (encryption key, then lookup key), created once. Written to a temporary file and moved into
    // place without overwriting, so servers starting together (tests do) all end up with the same complete file.
    private static byte[] DevelopmentKeyMaterial(IConfiguration configuration, string contentRoot)
    {
        var folder = Path.GetFullPath(configuration["Database:DataDirectory"] ?? "data", contentRoot);
        var path = Path.Combine(folder, DevelopmentKeyFile);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(folder);
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new FileStream(temporary, options))
            {
                file.Write(RandomNumberGenerator.GetBytes(64));
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
            }
        }

        var material = File.ReadAllBytes(path);
        return material.Length == 64
            ? material
            : throw new InvalidOperationException($"{path} is not a Development key file (64 bytes); delete it to make a new one.");
    }
}
