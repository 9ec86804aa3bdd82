using System.Globalization;
using System.Reflection;
using System.Text;

namespace Scripting.PluginApi.Tests;

/// <summary>
/// The plugin API is a contract with every plugin ever written: its public surface is listed in
/// <c>PublicSurface.approved.txt</c>, and a change to it shows up as a diff to review. On a difference the
/// test writes <c>PublicSurface.received.txt</c> beside it; copy it over the approved file once the change
/// is meant.
/// </summary>
public sealed class PublicSurfaceTests
{
    private static string Approved => Path.Combine(SourceDirectory(), "PublicSurface.approved.txt");

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    public static string Describe(Assembly assembly)
    {
        var text = new StringBuilder();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{Kind(type)} {type.FullName}{(type.BaseType is { } parent && parent != typeof(object) && parent != typeof(ValueType) ? " : " + parent.Name : "")}");
            var members = type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => m is not MethodInfo { IsSpecialName: true })
                .Select(Member)
                .Order(StringComparer.Ordinal);
            foreach (var member in members)
            {
                text.AppendLine("  " + member);
            }
        }

        return text.ToString();
    }

    private static string Kind(Type type) => type switch
    {
        { IsInterface: true } => "interface",
        { IsEnum: true } => "enum",
        { IsValueType: true } => "struct",
        { IsAbstract: true, IsSealed: true } => "static class",
        _ => "class",
    };

    private static string Member(MemberInfo member) => member switch
    {
        ConstructorInfo c => $"ctor({Parameters(c)})",
        MethodInfo m => $"{(m.IsStatic ? "static " : "")}{Name(m.ReturnType)} {m.Name}({Parameters(m)})",
        PropertyInfo p => $"{(p.GetMethod?.IsStatic == true ? "static " : "")}{Name(p.PropertyType)} {p.Name} {{{(p.GetMethod?.IsPublic == true ? " get;" : "")}{(p.SetMethod?.IsPublic == true ? " set;" : "")} }}",
        FieldInfo f => $"{(f.IsStatic ? "static " : "")}{Name(f.FieldType)} {f.Name}",
        EventInfo e => $"event {Name(e.EventHandlerType!)} {e.Name}",
        Type nested => $"nested {nested.Name}",
        _ => member.ToString()!,
    };

    private static string Parameters(MethodBase method) =>
        string.Join(", ", method.GetParameters().Select(p => $"{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue ?? "null") : "")}"));

    private static string Name(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>"
        : type.Name;

    [Fact]
    public void ThePublicSurface_IsTheApprovedOne()
    {
        var surface = Describe(typeof(LineBuilder).Assembly);
        var received = Path.ChangeExtension(Approved, null).Replace(".approved", ".received", StringComparison.Ordinal) + ".txt";
        if (!File.Exists(Approved) || File.ReadAllText(Approved) != surface)
        {
            File.WriteAllText(received, surface);
        }
        else if (File.Exists(received))
        {
            File.Delete(received);
        }

        surface.ShouldBe(File.Exists(Approved) ? File.ReadAllText(Approved) : "(no approved surface yet)", $"the plugin API changed: compare {received} with {Approved}");
    }

    [Fact]
    public void APlugin_CannotSetItsRunsCancellation()
    {
        typeof(PluginCancellation).GetProperty(nameof(PluginCancellation.Current))!.SetMethod!.IsPublic.ShouldBeFalse();
    }
}
