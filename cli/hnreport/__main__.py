"""The ``hnreport`` command and ``python -m hnreport``.

Start-up makes some hundred thousand objects (the modules of typer, rich and hnreport, their
functions and classes) that live until the command ends. Python's cycle collector would walk them
again and again while they are made, and once more at exit, though none of them is ever garbage:
that was about a tenth of a read command's time. So the collector waits while the command line is
imported, and what the import made is then set aside (``gc.freeze``): collections during the
command, which run as usual, look only at what the command itself makes.
"""

import gc


def run() -> None:
    gc.disable()
    try:
        from hnreport.commands.app import main
    finally:
        gc.freeze()
        gc.enable()
    main()


if __name__ == "__main__":
    run()
