using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace WeChatAssist.Server.PersonalData;

/// <summary>Registers <see cref="PersonalDataProtector"/> with keys validated at start.</summary>
internal static class PersonalDataExtensions
{
    /// <summary>The key id Development invents when no key is configured.</summary>
    public const string DevelopmentKeyId = "dev";

    public static IHostApplicationBuilder AddPersonalData(this IHostApplicationBuilder builder)
    {
        // Keys are secrets: environment or user secrets only. Development without them gets ephemeral keys made
        // in memory at each start, so data encrypted in one run cannot be read in the next — fine for a demo
        // database, and never silently used outside Development.
        if (builder.Environment.IsDevelopment())
        {
            builder.Configuration.AddInMemoryCollection(DevelopmentKeys(builder.Configuration));
        }

        builder.Services.AddOptions<PersonalDataOptions>()
            .Bind(builder.Configuration.GetSection(PersonalDataOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PersonalDataOptions>, PersonalDataOptionsValidator>();
        builder.Services.AddSingleton<PersonalDataProtector>();
        builder.Services.AddSingleton<PersonalDataGate>();
        return builder;
    }

    private static Dictionary<string, string?> DevelopmentKeys(IConfiguration configuration)
    {
        var section = configuration.GetSection(PersonalDataOptions.SectionName);
        var keys = new Dictionary<string, string?>();
        if (!section.GetSection("Keys").GetChildren().Any())
        {
            keys[$"{PersonalDataOptions.SectionName}:Keys:{DevelopmentKeyId}"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            if (string.IsNullOrEmpty(section["ActiveKeyId"]))
            {
                keys[$"{PersonalDataOptions.SectionName}:ActiveKeyId"] = DevelopmentKeyId;
            }
        }

        if (string.IsNullOrEmpty(section["LookupKey"]))
        {
            keys[$"{PersonalDataOptions.SectionName}:LookupKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        }

        return keys;
    }
}
