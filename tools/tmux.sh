# tmux.sh: a real terminal for the tests that drive one as a person would (sourced by
# test_loop.sh and test_quiz.sh). Set TMUX_SOCK (a socket path) and TMUX_SESSION first.
#   T ARGS...              tmux on that socket
#   screen                 what the terminal shows, wrapped lines joined, with scrollback
#   wait_for REGEX SECS    until the screen shows REGEX; else print the screen's end, fail
T() { tmux -S "$TMUX_SOCK" "$@"; }
screen() { T capture-pane -p -J -S -200 -t "$TMUX_SESSION"; }
wait_for() {
    local i
    for ((i = 0; i < $2 * 10; i++)); do
        screen | grep -Eq -- "$1" && return 0
        sleep 0.1
    done
    echo "  --- the screen, after waiting ${2}s for /$1/:"
    screen | grep -v '^$' | tail -25 | sed 's/^/  | /'
    return 1
}
