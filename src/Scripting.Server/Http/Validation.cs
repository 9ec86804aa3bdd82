using FluentValidation;
using Scripting.Core.Errors;

namespace Scripting.Server.Http;

internal static class Validation
{
    /// <summary>Throws a 400 naming every invalid field.</summary>
    public static void Check<T>(IValidator<T> validator, T request)
    {
        var result = validator.Validate(request);
        if (!result.IsValid)
        {
            throw new ScriptingException(ErrorKind.BadRequest, string.Join("; ", result.Errors.Select(e => e.ErrorMessage)));
        }
    }
}
