# bash completion for cunji: commands, options, village, township, county and
# account codes.  The candidates come from the tool itself (`cunji __complete
# WORDS...`, cli/complete.c), from the same command tables as `cunji help`, and
# the codes from the database when it can be reached without asking anything.
# Installed as share/bash-completion/completions/cunji; by hand:
#   source cli/completion/cunji.bash
_cunji() {
	local cur=${COMP_WORDS[COMP_CWORD]} IFS=$'\n'
	# an option's value after '=' completes on its own (--village=3609...)
	COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)" -- "$cur"))
	# --debit 101= : stay on the word to type the amount
	if [ ${#COMPREPLY[@]} -eq 1 ] && [[ ${COMPREPLY[0]} == *= ]]; then
		compopt -o nospace 2>/dev/null
	fi
}
# -o default: files when cunji offers nothing (FILE, --out, --file)
complete -o default -F _cunji cunji
