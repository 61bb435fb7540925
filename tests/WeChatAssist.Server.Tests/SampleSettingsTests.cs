using Microsoft.Extensions.Configuration;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Hosting;

namespace WeChatAssist.Server.Tests;

/// <summary>appsettings.sample.json is the configuration reference; these keep it in step with the code.</summary>
public sealed class SampleSettingsTests
{
    private static readonly string RepositoryRoot = FindRepositoryRoot();
    private readonly IConfigurationRoot _sample = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryRoot, "appsettings.sample.json")).Build();

    public static TheoryData<string> OptionKeys()
    {
        var keys = new TheoryData<string> { DatabaseOptions.ConnectionStringKey, "Urls" };
        foreach (var property in typeof(DatabaseOptions).GetProperties().Where(p => p.CanWrite && p.Name is not nameof(DatabaseOptions.ConnectionString) and not nameof(DatabaseOptions.ConnectRetry)))
        {
            keys.Add($"{DatabaseOptions.SectionName}:{property.Name}");
        }

        foreach (var property in typeof(ConnectRetryOptions).GetProperties())
        {
            keys.Add($"{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.ConnectRetry)}:{property.Name}");
        }

        foreach (var property in typeof(ClockOptions).GetProperties())
        {
            keys.Add($"{ClockOptions.SectionName}:{property.Name}");
        }

        foreach (var property in typeof(StaffConsole.LiveUpdatesOptions).GetProperties().Where(p => p.CanWrite))
        {
            keys.Add($"{StaffConsole.LiveUpdatesOptions.SectionName}:{property.Name}");
        }

        foreach (var property in typeof(WeChatAssist.Server.Scheduling.JobsOptions).GetProperties())
        {
            keys.Add($"{WeChatAssist.Server.Scheduling.JobsOptions.SectionName}:{property.Name}");
        }

        keys.Add(WeChatAssist.Server.Scheduling.JobsOptions.ConnectionStringKey);

        return keys;
    }

    [Theory]
    [MemberData(nameof(OptionKeys))]
    public void Every_option_the_server_reads_is_documented_in_the_sample(string key)
    {
        Assert.NotNull(_sample[key]);
        Assert.False(string.IsNullOrWhiteSpace(_sample[key + "//"]), $"{key} needs a '{key}//' description beside it.");
    }

    /// <summary>Every property of every options class (a class with a <c>SectionName</c> constant) in the server, the
    /// WeChat library, the simulator and the policy engine, walked into nested option objects and, for a dictionary,
    /// into the sample's first entry.</summary>
    public static TheoryData<string> BoundOptionKeys()
    {
        var keys = new TheoryData<string>();
        var assemblies = new[] { typeof(Program).Assembly, typeof(global::WeChatAssist.WeChat.Configuration.WeChatOptions).Assembly, typeof(global::WeChatAssist.Policy.PolicyOptions).Assembly, typeof(global::WeChatAssist.WeChat.Simulator.Api.WeChatSimulatorOptions).Assembly };
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()))
        {
            if (type.GetField("SectionName", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static) is { IsLiteral: true } field
                && field.GetRawConstantValue() is string section && type.Name.EndsWith("Options", StringComparison.Ordinal))
            {
                foreach (var key in BoundKeys(section, type, depth: 0))
                {
                    keys.Add(key);
                }

                // Keys the server reads by a constant of the options class (WeChat:PublishMenus, ConnectionStrings:Jobs).
                foreach (var constant in type.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
                    .Where(f => f.IsLiteral && f.Name.EndsWith("Key", StringComparison.Ordinal) && f.GetRawConstantValue() is string value && value.Contains(':', StringComparison.Ordinal)))
                {
                    keys.Add((string)constant.GetRawConstantValue()!);
                }
            }
        }

        return keys;
    }

    [Theory]
    [MemberData(nameof(BoundOptionKeys))]
    public void Every_bound_options_property_is_documented_in_the_sample(string key)
    {
        if (key.Split(ListItem) is [var list, var property])
        {
            // A list of objects (a menu's buttons): the list's description names every property an item may have.
            Assert.True(_sample.GetSection(list).GetChildren().Any(), $"{list} is bound by an options class but missing from appsettings.sample.json.");
            Assert.Matches($@"\b{property}\b", _sample[list + "//"] ?? "");
            return;
        }

        Assert.True(_sample[key] is not null || _sample.GetSection(key).GetChildren().Any(), $"{key} is bound by an options class but missing from appsettings.sample.json.");
        Assert.False(string.IsNullOrWhiteSpace(_sample[key + "//"]), $"{key} needs a '{key}//' description beside it.");
    }

    private static IEnumerable<string> BoundKeys(string prefix, Type type, int depth)
    {
        foreach (var property in type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
        {
            var key = $"{prefix}:{property.Name}";
            // The binder also fills get-only collections (lists and dictionaries created by the class).
            var bindable = (property.CanWrite && property.GetSetMethod() is not null)
                || (property.GetGetMethod() is not null && property.PropertyType.IsGenericType && MutableCollections.Contains(property.PropertyType.GetGenericTypeDefinition()));
            if (!bindable || property.GetIndexParameters().Length > 0 || NotBoundFromTheirOwnKey.Contains(key))
            {
                continue;
            }

            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var dictionary = propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() is var definition
                && (definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>))
                ? propertyType.GetGenericArguments()[1] : null;
            if (dictionary is not null && IsOptionsObject(dictionary) && depth < 4)
            {
                // A named entry (an account, a key id): the sample documents one representative entry.
                var entry = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryRoot, "appsettings.sample.json")).Build().GetSection(key).GetChildren().FirstOrDefault();
                if (entry is null)
                {
                    yield return key;
                }
                else
                {
                    foreach (var nested in BoundKeys(entry.Path, dictionary, depth + 1))
                    {
                        yield return nested;
                    }
                }
            }
            else if (ListElement(propertyType) is { } element && IsOptionsObject(element))
            {
                yield return key;
                foreach (var item in element.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).Where(p => p.GetSetMethod() is not null))
                {
                    yield return key + ListItem + item.Name;
                }
            }
            else if (dictionary is null && IsOptionsObject(propertyType) && depth < 4)
            {
                foreach (var nested in BoundKeys(key, propertyType, depth + 1))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return key;
            }
        }
    }

    // Filled from another key: Database:ConnectionString comes from ConnectionStrings:Default (documented there).
    private static readonly HashSet<string> NotBoundFromTheirOwnKey = [$"{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.ConnectionString)}"];

    private static readonly HashSet<Type> MutableCollections = [typeof(IList<>), typeof(ICollection<>), typeof(List<>), typeof(Dictionary<,>), typeof(IDictionary<,>)];

    // Separates a list of objects from the property of its items in a key of BoundOptionKeys.
    private const string ListItem = "[]:";

    private static Type? ListElement(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(ICollection<>) || definition == typeof(IReadOnlyList<>) || definition == typeof(IEnumerable<>))
            ? type.GetGenericArguments()[0] : null;

    private static bool IsOptionsObject(Type type) =>
        type.IsClass && type != typeof(string) && type != typeof(Uri) && !type.IsArray && !typeof(System.Collections.IEnumerable).IsAssignableFrom(type);

    [Theory]
    [InlineData("WeChat:Accounts:county:AppId")]
    [InlineData("WeChat:Accounts:county:AppSecret")]
    [InlineData("WeChat:Accounts:county:Token")]
    [InlineData("WeChat:Accounts:county:EncodingAESKey")]
    [InlineData("WeChat:Accounts:county:PolicyId")]
    [InlineData("Policies:Directory")]
    public void Keys_decided_for_later_features_are_documented(string key) => Assert.NotNull(_sample[key]);

    [Fact]
    public void The_sample_holds_placeholders_not_secrets() =>
        Assert.Empty(SecretSources.FindSecretsInSettingsFiles(_sample));

    [Fact]
    public void Every_key_of_the_server_appsettings_is_in_the_sample()
    {
        var appsettings = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryRoot, "src", "WeChatAssist.Server", "appsettings.json")).Build();

        var missing = appsettings.AsEnumerable().Where(pair => pair.Value is not null && !pair.Key.StartsWith("Logging:", StringComparison.Ordinal) && _sample[pair.Key] is null).Select(pair => pair.Key);

        Assert.Empty(missing);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "WeChatAssist.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("WeChatAssist.sln not found above " + AppContext.BaseDirectory);
    }
}
