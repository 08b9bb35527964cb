from hnreport.commands.app import main

main()
